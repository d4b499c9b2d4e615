/* Test support for the drill server suites: the server as a child process (the cyberex CLI) and a client that keeps
 * every message it receives. */
#pragma once

#include "cli_support.hpp"
#include "cyberex/net.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace net_test {

using Json = nlohmann::json;

using cli_test::slurp;

/// A new empty directory /tmp/cyberex-net-XXXXXX.
inline std::string temp_dir()
{
  return cli_test::temp_dir("net");
}

/// `cyberex serve` in a child process, listening on a free loopback port.
class ServerProcess {
public:
  ServerProcess(std::string dir, std::string scenario, std::string journal, std::vector<std::string> extra = {})
      : dir_(std::move(dir)), scenario_(std::move(scenario)), journal_(std::move(journal)), extra_(std::move(extra))
  {
  }
  ~ServerProcess() { kill(SIGKILL); }

  /// Start and wait until it listens; false if it exited first (its status in exit_status()).
  bool start()
  {
    const std::string port_file = dir_ + "/port";
    ::unlink(port_file.c_str());
    std::vector<std::string> argv{CYBEREX_BINARY, "serve",  scenario_,     "--listen", "127.0.0.1:0",
                                  "--journal",    journal_, "--port-file", port_file};
    argv.insert(argv.end(), extra_.begin(), extra_.end());
    pid_ = ::fork();
    if (pid_ == 0) {
      const int fd = ::open((dir_ + "/server.log").c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
      ::dup2(fd, 2);
      const int null = ::open("/dev/null", O_WRONLY);
      ::dup2(null, 1);
      std::vector<char*> args;
      for (auto& a : argv)
        args.push_back(a.data());
      args.push_back(nullptr);
      ::execv(args[0], args.data());
      ::_exit(127);
    }
    for (int i = 0; i < 2000; ++i) { // 40 s
      int status = 0;
      if (::waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = -1;
        exit_status_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
        return false;
      }
      std::ifstream pf(port_file);
      if (pf >> port_)
        return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return false;
  }
  /// Send a signal and wait for the process; returns its exit status (128 + signal if killed).
  int kill(int sig)
  {
    if (pid_ <= 0)
      return exit_status_;
    ::kill(pid_, sig);
    int status = 0;
    ::waitpid(pid_, &status, 0);
    pid_ = -1;
    exit_status_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    return exit_status_;
  }
  bool alive() const { return pid_ > 0 && ::kill(pid_, 0) == 0; }
  int exit_status() const { return exit_status_; }
  std::string url(bool tls = false) const
  {
    return std::string(tls ? "wss" : "ws") + "://127.0.0.1:" + std::to_string(port_) + "/";
  }
  std::string log() const { return slurp(dir_ + "/server.log"); }
  std::string tokens_path() const { return journal_ + ".tokens"; }
  std::string token(const std::string& label) const
  {
    std::string error;
    auto t = cyberex::net::read_tokens(tokens_path(), &error);
    if (!t)
      throw std::runtime_error(error);
    for (const auto& e : *t)
      if (cyberex::net::principal_label(e.who) == label)
        return e.token;
    throw std::runtime_error("no token for " + label);
  }

private:
  std::string dir_, scenario_, journal_;
  std::vector<std::string> extra_;
  pid_t pid_ = -1;
  int port_ = 0;
  int exit_status_ = -1;
};

/// A connected principal that keeps every record it receives.
class Peer {
public:
  cyberex::net::DrillClient client;
  Json welcome, snapshot;
  std::vector<Json> records; ///< messages with a "seq" (events, deliveries, exercise records) in arrival order
  std::vector<Json> other;   ///< anything else that was not the reply waited for
  std::string name;

  void connect(const std::string& url, const std::string& token, std::optional<std::uint64_t> since = {},
               const cyberex::net::ClientOptions* base = nullptr)
  {
    cyberex::net::ClientOptions o = base ? *base : cyberex::net::ClientOptions{};
    o.url = url;
    o.token = token;
    o.since = since;
    client.connect(o);
    welcome = next();
    if (!since)
      snapshot = next();
  }
  Json next(int timeout_ms = 10000)
  {
    auto m = client.receive(timeout_ms);
    if (!m)
      throw std::runtime_error(name + ": nothing received within " + std::to_string(timeout_ms) + " ms");
    return Json::parse(*m);
  }
  /// Send a command and return its reply; records received meanwhile are kept.
  Json send(Json cmd)
  {
    const std::string id = cmd.contains("id") ? cmd["id"].get<std::string>() : name + "-" + std::to_string(++ids_);
    cmd["id"] = id;
    std::vector<std::string> others;
    const std::string reply = client.request(cmd.dump(), id, 180000, &others);
    for (const auto& m : others)
      keep(Json::parse(m));
    return Json::parse(reply);
  }
  /// A query whose reply comes after every record the server emitted before it: a barrier.
  void sync() { send({{"type", "clock"}}); }
  void keep(Json m)
  {
    if (m.contains("seq") && m.contains("kind"))
      records.push_back(std::move(m));
    else
      other.push_back(std::move(m));
  }
  std::vector<Json> find(const std::function<bool(const Json&)>& pred) const
  {
    std::vector<Json> out;
    for (const auto& r : records)
      if (pred(r))
        out.push_back(r);
    return out;
  }

private:
  int ids_ = 0;
};

inline bool is_type(const Json& r, const std::string& kind, const std::string& type)
{
  return r.value("kind", "") == kind && r.value("type", "") == type;
}

} // namespace net_test

/* Test support for the drill server suites: the server as a child process (the cyberex CLI) and a client that keeps
 * every message it receives. */
#pragma once

#include "cli_support.hpp"
#include "cyberex/net.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <iterator>
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
      if (nofile_ > 0) { // a server that runs out of file descriptors
        const rlimit lim{static_cast<rlim_t>(nofile_), static_cast<rlim_t>(nofile_)};
        ::setrlimit(RLIMIT_NOFILE, &lim);
      }
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
  pid_t pid() const { return pid_; }
  /// Limit the server's file descriptors (soft and hard) before start().
  void limit_files(int n) { nofile_ = n; }
  /// Resident memory of the server process in bytes (from /proc), 0 if unknown.
  std::size_t rss() const
  {
    std::ifstream st("/proc/" + std::to_string(pid_) + "/statm");
    std::size_t pages = 0, resident = 0;
    st >> pages >> resident;
    return resident * static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
  }
  /// CPU time (user + system) the server has used, in seconds.
  double cpu_seconds() const
  {
    std::ifstream st("/proc/" + std::to_string(pid_) + "/stat");
    std::string text((std::istreambuf_iterator<char>(st)), std::istreambuf_iterator<char>());
    std::istringstream fields(text.substr(text.rfind(')') + 2));
    std::string f;
    double ticks = 0;
    for (int i = 3; i <= 15 && fields >> f; ++i)
      if (i == 14 || i == 15)
        ticks += std::stod(f);
    return ticks / static_cast<double>(::sysconf(_SC_CLK_TCK));
  }
  int exit_status() const { return exit_status_; }
  int port() const { return port_; }
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
      if (cyberex::principal_label(e.who) == label)
        return e.token;
    throw std::runtime_error("no token for " + label);
  }

private:
  std::string dir_, scenario_, journal_;
  std::vector<std::string> extra_;
  pid_t pid_ = -1;
  int port_ = 0;
  int nofile_ = 0;
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

/// A plain TCP connection to 127.0.0.1:port (raw bytes, for what a WebSocket client would never send); -1 on failure.
inline int raw_connect(int port)
{
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(static_cast<std::uint16_t>(port));
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (fd >= 0 && ::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0)
    return fd;
  if (fd >= 0)
    ::close(fd);
  return -1;
}

/// Read what arrives on a raw connection until it closes or timeout_ms pass; *closed tells which.
inline std::string raw_read(int fd, int timeout_ms, bool* closed)
{
  std::string out;
  *closed = false;
  const auto end = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  while (std::chrono::steady_clock::now() < end) {
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, 50) <= 0)
      continue;
    char buf[4096];
    const ssize_t n = ::read(fd, buf, sizeof buf);
    if (n <= 0) {
      *closed = true;
      break;
    }
    out.append(buf, static_cast<std::size_t>(n));
  }
  return out;
}

inline bool is_type(const Json& r, const std::string& kind, const std::string& type)
{
  return r.value("kind", "") == kind && r.value("type", "") == type;
}

} // namespace net_test

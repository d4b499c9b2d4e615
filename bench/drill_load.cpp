/* Drill server load benchmark (loopback only, bounded, stops by itself): N team clients each send R commands per
 * second for S seconds to a `cyberex serve` child process; prints the p50/p99/max latency from send to reply and
 * the commands lost (no reply, or an error reply). Target: p99 under 50 ms, none lost.
 *
 *   bench_drill_load [--cyberex PATH] [--scenario FILE] [--clients 50] [--rate 10] [--seconds 60]
 *                    [--command sitrep|inbox]
 *
 * "sitrep" (the default) is a state-changing command: every one is journaled and made durable (fdatasync) before
 * its reply. "inbox" is a query: answered, not journaled. */
#include "cyberex/net.hpp"

#include <nlohmann/json.hpp>

#include <fcntl.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;

struct Result {
  std::vector<double> latencies_ms;
  long sent = 0, ok = 0, errors = 0, lost = 0;
  std::string first_error;
};

double percentile(std::vector<double>& v, double p)
{
  if (v.empty())
    return 0;
  std::sort(v.begin(), v.end());
  const std::size_t i = std::min(v.size() - 1, static_cast<std::size_t>(p * static_cast<double>(v.size() - 1) + 0.5));
  return v[i];
}

} // namespace

int main(int argc, char** argv)
{
  std::string cyberex = "build-bench/sim/cyberex", scenario = "scenarios/tutorial/tutorial.json", command = "sitrep";
  int clients = 50, rate = 10, seconds = 60;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto next = [&]() -> std::string {
      if (i + 1 >= argc) {
        std::fprintf(stderr, "bench_drill_load: %s needs a value\n", a.c_str());
        std::exit(1);
      }
      return argv[++i];
    };
    if (a == "--cyberex")
      cyberex = next();
    else if (a == "--scenario")
      scenario = next();
    else if (a == "--command")
      command = next();
    else if (a == "--clients")
      clients = std::max(1, std::atoi(next().c_str()));
    else if (a == "--rate")
      rate = std::max(1, std::atoi(next().c_str()));
    else if (a == "--seconds")
      seconds = std::max(1, std::atoi(next().c_str()));
    else {
      std::fprintf(stderr, "bench_drill_load: unknown option '%s'\n", a.c_str());
      return 1;
    }
  }
  if (command != "sitrep" && command != "inbox") {
    std::fprintf(stderr, "bench_drill_load: --command expects sitrep or inbox\n");
    return 1;
  }

  char tmpl[] = "/tmp/cyberex-load-XXXXXX";
  const std::string dir = ::mkdtemp(tmpl);
  const std::string journal = dir + "/load.journal", port_file = dir + "/port";
  const pid_t pid = ::fork();
  if (pid == 0) {
    const int fd = ::open((dir + "/server.log").c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    ::dup2(fd, 2);
    // capacity, not policy: several clients share a team's token here, so its per-token limits are raised
    ::execl(cyberex.c_str(), cyberex.c_str(), "serve", scenario.c_str(), "--listen", "127.0.0.1:0", "--journal",
            journal.c_str(), "--port-file", port_file.c_str(), "--rate", "10000", "--text-rate", "65536",
            "--max-connections-per-token", "1000", static_cast<char*>(nullptr));
    ::_exit(127);
  }
  int port = 0;
  for (int i = 0; i < 3000 && !port; ++i) {
    std::ifstream pf(port_file);
    if (!(pf >> port))
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  if (!port) {
    std::fprintf(stderr, "bench_drill_load: the server did not start (see %s/server.log)\n", dir.c_str());
    ::kill(pid, SIGKILL);
    return 1;
  }
  std::string error;
  auto tokens = cyberex::net::read_tokens(journal + ".tokens", &error);
  std::vector<std::string> teams, team_tokens;
  for (const auto& t : tokens ? *tokens : std::vector<cyberex::net::TokenEntry>{})
    if (t.who.role == cyberex::Role::player) {
      teams.push_back(t.who.team);
      team_tokens.push_back(t.token);
    }
  if (team_tokens.empty()) {
    std::fprintf(stderr, "bench_drill_load: no player tokens: %s\n", error.c_str());
    ::kill(pid, SIGKILL);
    return 1;
  }
  const std::string url = "ws://127.0.0.1:" + std::to_string(port) + "/";
  std::printf("drill load: %d team clients (over %zu teams) x %d %s commands/s x %d s against %s\n", clients,
              teams.size(), rate, command.c_str(), seconds, url.c_str());
  std::fflush(stdout);

  std::vector<Result> results(static_cast<std::size_t>(clients));
  std::atomic<int> connected{0};
  const auto start = Clock::now() + std::chrono::seconds(2);
  std::vector<std::thread> threads;
  struct rusage ru0 {};
  ::getrusage(RUSAGE_CHILDREN, &ru0);
  for (int c = 0; c < clients; ++c)
    threads.emplace_back([&, c] {
      Result& r = results[static_cast<std::size_t>(c)];
      const std::size_t team = static_cast<std::size_t>(c) % team_tokens.size();
      cyberex::net::DrillClient client;
      try {
        cyberex::net::ClientOptions o;
        o.url = url;
        o.token = team_tokens[team];
        o.since = ~0ull >> 1; // no backlog: the server answers a client ahead of it with a snapshot
        client.connect(o);
        client.receive(10000); // welcome
        client.receive(10000); // snapshot
        ++connected;
        const int total = rate * seconds;
        for (int i = 0; i < total; ++i) {
          const auto due = start + std::chrono::microseconds(1000000LL * i / rate + 1000000LL * c / clients / rate);
          std::this_thread::sleep_until(due);
          const std::string id = std::to_string(c) + "-" + std::to_string(i);
          std::string cmd;
          if (command == "sitrep")
            cmd = "{\"id\":\"" + id + "\",\"type\":\"sitrep\",\"text\":\"load " + id + "\"}";
          else
            cmd = "{\"id\":\"" + id + "\",\"type\":\"inbox\"}";
          const auto t0 = Clock::now();
          ++r.sent;
          std::string reply;
          try {
            reply = client.request(cmd, id, 5000);
          } catch (const std::exception& e) {
            ++r.lost;
            if (r.first_error.empty())
              r.first_error = e.what();
            if (!client.is_open())
              break;
            continue;
          }
          r.latencies_ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
          if (reply.find("\"ok\":true") != std::string::npos)
            ++r.ok;
          else {
            ++r.errors;
            if (r.first_error.empty())
              r.first_error = reply.substr(0, 200);
          }
        }
        client.close();
      } catch (const std::exception& e) {
        if (r.first_error.empty())
          r.first_error = e.what();
      }
    });
  for (auto& t : threads)
    t.join();
  const double wall = std::chrono::duration<double>(Clock::now() - start).count();
  ::kill(pid, SIGTERM);
  int status = 0;
  ::waitpid(pid, &status, 0);
  struct rusage ru1 {};
  ::getrusage(RUSAGE_CHILDREN, &ru1);
  const double server_cpu =
      static_cast<double>(ru1.ru_utime.tv_sec - ru0.ru_utime.tv_sec + ru1.ru_stime.tv_sec - ru0.ru_stime.tv_sec) +
      static_cast<double>(ru1.ru_utime.tv_usec - ru0.ru_utime.tv_usec + ru1.ru_stime.tv_usec - ru0.ru_stime.tv_usec) /
          1e6;

  Result all;
  for (auto& r : results) {
    all.latencies_ms.insert(all.latencies_ms.end(), r.latencies_ms.begin(), r.latencies_ms.end());
    all.sent += r.sent;
    all.ok += r.ok;
    all.errors += r.errors;
    all.lost += r.lost;
    if (all.first_error.empty())
      all.first_error = r.first_error;
  }
  const long expected = static_cast<long>(clients) * rate * seconds;
  const long never_sent = expected - all.sent;
  std::size_t journaled = 0;
  {
    std::ifstream j(journal);
    std::string line;
    // journal format 2 (docs/journal.md): command lines start with {"index":, the records they caused follow
    while (std::getline(j, line))
      if (line.rfind("{\"index\":", 0) == 0 && line.find("\"type\":\"" + command + "\"") != std::string::npos)
        ++journaled;
  }
  const double p50 = percentile(all.latencies_ms, 0.50), p99 = percentile(all.latencies_ms, 0.99),
               pmax = all.latencies_ms.empty() ? 0 : all.latencies_ms.back();
  std::printf("connected %d/%d; commands: %ld planned, %ld sent, %ld ok, %ld error replies, %ld lost (no reply), "
              "%ld never sent\n",
              connected.load(), clients, expected, all.sent, all.ok, all.errors, all.lost, never_sent);
  std::printf("latency send->reply: p50 %.2f ms, p99 %.2f ms, max %.2f ms over %.1f s; journaled commands %zu; server "
              "CPU %.1f s (%.0f%% of one core)\n",
              p50, p99, pmax, wall, journaled, server_cpu, 100 * server_cpu / wall);
  if (!all.first_error.empty())
    std::printf("first error: %s\n", all.first_error.c_str());
  const bool pass = all.lost == 0 && all.errors == 0 && never_sent == 0 && p99 < 50 &&
                    (command != "sitrep" || journaled == static_cast<std::size_t>(expected));
  std::printf("%s (target: p99 < 50 ms, none lost%s)\n", pass ? "PASS" : "FAIL",
              command == "sitrep" ? ", every command journaled" : "");
  std::string rm = "rm -rf '" + dir + "'";
  if (std::system(rm.c_str()) != 0)
    std::fprintf(stderr, "bench_drill_load: could not remove %s\n", dir.c_str());
  return pass ? 0 : 1;
}

/* Runs in forked children: spawn, collect stdout and stderr through pipes with poll(), wait, report progress. */
#include "child_runs.hpp"
#include "options.hpp"

#include "cyberex/journal.hpp"
#include "cyberex/scenario.hpp"

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

namespace cyberex::cli {
namespace {

/// A running child: its pid, the read ends of its stdout and stderr pipes (-1 once at end of file) and its run.
struct Child {
  pid_t pid = -1;
  int out = -1, err = -1;
  std::size_t run = 0;
};

bool spawn(const std::function<void(std::uint64_t)>& run, std::uint64_t seed, Child& child, std::string& error)
{
  int out[2], err[2];
  if (::pipe2(out, O_CLOEXEC) != 0) {
    error = std::strerror(errno);
    return false;
  }
  if (::pipe2(err, O_CLOEXEC) != 0) {
    error = std::strerror(errno);
    ::close(out[0]);
    ::close(out[1]);
    return false;
  }
  std::fflush(stdout);
  std::fflush(stderr);
  const pid_t pid = ::fork();
  if (pid < 0) {
    error = std::strerror(errno);
    for (int fd : {out[0], out[1], err[0], err[1]})
      ::close(fd);
    return false;
  }
  if (pid == 0) {
    ::dup2(out[1], 1);
    ::dup2(err[1], 2);
    run(seed);
    ::_exit(4); // `run` must not return
  }
  ::close(out[1]);
  ::close(err[1]);
  child.pid = pid;
  child.out = out[0];
  child.err = err[0];
  return true;
}

class Progress {
public:
  Progress(std::string command, std::size_t total, bool quiet)
      : command_(std::move(command)), total_(total), quiet_(quiet), tty_(::isatty(2) != 0)
  {
  }
  void update(std::size_t done, std::size_t failed)
  {
    if (quiet_ || total_ == 0)
      return;
    const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
    if (tty_) {
      const int width = 40;
      const int filled = static_cast<int>(width * done / total_);
      std::fprintf(stderr, "\r[%s%s] %zu/%zu runs, %zu failed, %.1f s", std::string(filled, '#').c_str(),
                   std::string(width - filled, ' ').c_str(), done, total_, failed, wall);
      if (done == total_)
        std::fputc('\n', stderr);
      std::fflush(stderr);
    } else {
      const std::size_t tenth = done * 10 / total_;
      if (tenth > last_tenth_) {
        last_tenth_ = tenth;
        std::fprintf(stderr, "cyberex %s: %zu/%zu runs done (%zu%%), %zu failed, %.1f s\n", command_.c_str(), done,
                     total_, tenth * 10, failed, wall);
      }
    }
  }

private:
  std::string command_;
  std::size_t total_;
  bool quiet_, tty_;
  std::size_t last_tenth_ = 0;
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
};

} // namespace

std::vector<ChildRun> run_children(const std::string& command, std::uint64_t seed_base, std::size_t runs,
                                   std::size_t jobs, bool quiet, const std::function<void(std::uint64_t)>& child,
                                   const std::function<bool(ChildRun&)>& accept)
{
  std::vector<ChildRun> results(runs);
  std::vector<Child> active;
  std::size_t next = 0, done = 0, failed = 0;
  jobs = std::max<std::size_t>(jobs, 1);
  Progress progress(command, runs, quiet);
  auto finish = [&](Child& c) {
    ChildRun& r = results[c.run];
    int status = 0;
    while (::waitpid(c.pid, &status, 0) < 0 && errno == EINTR) {
    }
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
      r.ok = accept(r);
      if (!r.ok)
        r.status = "bad output";
    } else if (WIFEXITED(status)) {
      r.status = "exit " + std::to_string(WEXITSTATUS(status));
    } else if (WIFSIGNALED(status)) {
      r.status = "signal " + std::to_string(WTERMSIG(status));
    } else {
      r.status = "unknown status";
    }
    ++done;
    if (!r.ok)
      ++failed;
    progress.update(done, failed);
  };
  while (next < runs || !active.empty()) {
    while (next < runs && active.size() < jobs) {
      ChildRun& r = results[next];
      r.seed = seed_base + next;
      Child c;
      c.run = next++;
      std::string error;
      if (!spawn(child, r.seed, c, error)) {
        r.status = "not started";
        r.err = error;
        ++done;
        ++failed;
        progress.update(done, failed);
        continue;
      }
      active.push_back(c);
    }
    std::vector<pollfd> fds;
    std::vector<std::pair<std::size_t, bool>> owner; // (index in active, is stdout)
    for (std::size_t i = 0; i < active.size(); ++i) {
      if (active[i].out >= 0) {
        fds.push_back({active[i].out, POLLIN, 0});
        owner.push_back({i, true});
      }
      if (active[i].err >= 0) {
        fds.push_back({active[i].err, POLLIN, 0});
        owner.push_back({i, false});
      }
    }
    if (!fds.empty() && ::poll(fds.data(), fds.size(), -1) < 0) {
      if (errno == EINTR)
        continue;
      break;
    }
    char buf[65536];
    for (std::size_t k = 0; k < fds.size(); ++k) {
      if (!(fds[k].revents & (POLLIN | POLLHUP | POLLERR)))
        continue;
      Child& c = active[owner[k].first];
      int& fd = owner[k].second ? c.out : c.err;
      const ssize_t n = ::read(fd, buf, sizeof buf);
      if (n > 0) {
        std::string& sink = owner[k].second ? results[c.run].out : results[c.run].err;
        sink.append(buf, static_cast<std::size_t>(n));
      } else if (n == 0 || (errno != EINTR && errno != EAGAIN)) {
        ::close(fd);
        fd = -1;
      }
    }
    for (std::size_t i = 0; i < active.size();) {
      if (active[i].out < 0 && active[i].err < 0) {
        finish(active[i]);
        active.erase(active.begin() + static_cast<std::ptrdiff_t>(i));
      } else {
        ++i;
      }
    }
  }
  return results;
}

bool load_for_runs(const std::string& command, const std::string& file, const std::string& play, LoadResult& loaded,
                   std::vector<ScriptedCommand>& script)
{
  loaded = load_scenario(file);
  print_diagnostics(loaded.diagnostics);
  if (!loaded.ok()) {
    std::fprintf(stderr, "cyberex %s: invalid scenario '%s'\n", command.c_str(), file.c_str());
    return false;
  }
  if (play.empty())
    return true;
  PlayResult p = load_play(play, *loaded.scenario);
  print_diagnostics(p.diagnostics);
  if (!p.ok()) {
    std::fprintf(stderr, "cyberex %s: invalid play file '%s'\n", command.c_str(), play.c_str());
    return false;
  }
  script = responses_to_commands(p.commands, *loaded.scenario, play);
  return true;
}

std::string seed_ranges(const std::vector<std::uint64_t>& seeds)
{
  std::string out;
  for (std::size_t i = 0; i < seeds.size();) {
    std::size_t j = i;
    while (j + 1 < seeds.size() && seeds[j + 1] == seeds[j] + 1)
      ++j;
    out += (out.empty() ? "" : ", ") + std::to_string(seeds[i]) + (j > i ? ".." + std::to_string(seeds[j]) : "");
    i = j + 1;
  }
  return out;
}

std::string excerpt(const std::string& err)
{
  std::string e = err;
  while (!e.empty() && (e.back() == '\n' || e.back() == '\r'))
    e.pop_back();
  if (e.size() > 400)
    e = "..." + e.substr(e.size() - 400);
  return e;
}

} // namespace cyberex::cli

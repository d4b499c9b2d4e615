/* Runs in forked children: spawn, collect stdout and stderr through pipes with poll(), wait, report progress. */
#include "child_runs.hpp"
#include "mpi_runs.hpp"
#include "options.hpp"

#include "cyberex/journal.hpp"
#include "cyberex/scenario.hpp"

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cinttypes>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <fcntl.h>
#include <malloc.h>
#include <optional>
#include <poll.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

namespace cyberex::cli {
namespace {

/// A running child: its pid, the read ends of its stdout and stderr pipes (-1 once at end of file) and its run.
struct Child {
  pid_t pid = -1;
  int out = -1, err = -1;
  std::size_t run = 0;
  int attempt = 0;
  std::string out_text, err_text;
};

/// A child that ended, as its parent saw it: the raw wait status, or `started` false and why (fork failed).
struct Ended {
  std::size_t run = 0;
  int attempt = 0;
  bool started = true;
  int wait_status = 0;
  std::string error, out, err;
};

/// The seed of CYBEREX_FAULT_KILL_SEED (a test hook: that run's child kills itself on its first attempt), if set.
std::optional<std::uint64_t> fault_kill_seed()
{
  const char* v = std::getenv("CYBEREX_FAULT_KILL_SEED");
  if (!v || !*v)
    return std::nullopt;
  char* end = nullptr;
  const unsigned long long n = std::strtoull(v, &end, 10);
  if (*end != '\0')
    return std::nullopt;
  return n;
}

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
  const bool kill_self = child.attempt == 0 && fault_kill_seed() == seed;
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
    if (kill_self)
      ::raise(SIGKILL);
    // SimGrid gives each actor (one per transfer: hundreds a run) an 8 MiB stack through malloc. Above glibc's
    // mmap threshold every one is a fresh mmap, page faults and an munmap with its TLB flush: a quarter of a run's
    // CPU (bench/README.md, section 7). From the heap, with no trimming, the freed stacks are reused in place.
    ::mallopt(M_MMAP_THRESHOLD, 32 << 20);
    ::mallopt(M_TRIM_THRESHOLD, 1 << 30);
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

/// The children of this process: started one by one, their output collected, their end reported.
class LocalRuns {
public:
  explicit LocalRuns(const std::function<void(std::uint64_t)>& child) : child_(child) {}

  std::size_t size() const { return active_.size(); }

  /// Forks the child of run `run` with `seed`; when the fork fails, the run ends at once ("not started").
  void start(std::size_t run, std::uint64_t seed, int attempt, std::vector<Ended>& ended)
  {
    Child c;
    c.run = run;
    c.attempt = attempt;
    std::string error;
    if (!spawn(child_, seed, c, error)) {
      Ended e;
      e.run = run;
      e.attempt = attempt;
      e.started = false;
      e.error = error;
      ended.push_back(std::move(e));
      return;
    }
    active_.push_back(std::move(c));
  }

  /// Waits for output of the children, at most `timeout` (nullptr: until something happens); appends the children
  /// that ended to `ended`. With no child, sleeps for `timeout`.
  void wait(const timespec* timeout, std::vector<Ended>& ended)
  {
    std::vector<pollfd> fds;
    std::vector<std::pair<std::size_t, bool>> owner; // (index in active, is stdout)
    for (std::size_t i = 0; i < active_.size(); ++i) {
      if (active_[i].out >= 0) {
        fds.push_back({active_[i].out, POLLIN, 0});
        owner.push_back({i, true});
      }
      if (active_[i].err >= 0) {
        fds.push_back({active_[i].err, POLLIN, 0});
        owner.push_back({i, false});
      }
    }
    if (fds.empty() && !timeout)
      return;
    if (::ppoll(fds.data(), fds.size(), timeout, nullptr) <= 0)
      return; // timeout, or EINTR: the caller comes back
    char buf[65536];
    for (std::size_t k = 0; k < fds.size(); ++k) {
      if (!(fds[k].revents & (POLLIN | POLLHUP | POLLERR)))
        continue;
      Child& c = active_[owner[k].first];
      int& fd = owner[k].second ? c.out : c.err;
      const ssize_t n = ::read(fd, buf, sizeof buf);
      if (n > 0) {
        (owner[k].second ? c.out_text : c.err_text).append(buf, static_cast<std::size_t>(n));
      } else if (n == 0 || (errno != EINTR && errno != EAGAIN)) {
        ::close(fd);
        fd = -1;
      }
    }
    for (std::size_t i = 0; i < active_.size();) {
      Child& c = active_[i];
      if (c.out >= 0 || c.err >= 0) {
        ++i;
        continue;
      }
      Ended e;
      e.run = c.run;
      e.attempt = c.attempt;
      while (::waitpid(c.pid, &e.wait_status, 0) < 0 && errno == EINTR) {
      }
      e.out = std::move(c.out_text);
      e.err = std::move(c.err_text);
      ended.push_back(std::move(e));
      active_.erase(active_.begin() + static_cast<std::ptrdiff_t>(i));
    }
  }

private:
  const std::function<void(std::uint64_t)>& child_;
  std::vector<Child> active_;
};

/// What became of an ended child: ok when it exited with 0 and `accept` took its output.
void classify(Ended& e, ChildRun& r, const std::function<bool(ChildRun&)>& accept)
{
  r.ok = false;
  r.out = std::move(e.out);
  r.err = std::move(e.err);
  r.status.clear();
  const int status = e.wait_status;
  if (!e.started) {
    r.status = "not started";
    r.err = e.error;
  } else if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
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
  double seconds() const { return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count(); }

private:
  std::string command_;
  std::size_t total_;
  bool quiet_, tty_;
  std::size_t last_tenth_ = 0;
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
};

/// The book of one call of run_children on the rank that merges: which runs are still to do, the results by seed,
/// progress, and the retry of a run that failed once.
class Book {
public:
  Book(const std::string& command, std::uint64_t seed_base, std::size_t runs, bool quiet,
       const std::function<bool(ChildRun&)>& accept)
      : command_(command), seed_base_(seed_base), results_(runs), progress_(command, runs, quiet), accept_(accept)
  {
    for (std::size_t i = 0; i < runs; ++i) {
      results_[i].seed = seed_base + i;
      pending_.push_back({i, 0});
    }
  }

  bool all_done() const { return done_ == results_.size(); }
  bool has_pending() const { return !pending_.empty(); }
  std::pair<std::size_t, int> take()
  {
    const auto p = pending_.front();
    pending_.pop_front();
    return p;
  }
  std::uint64_t seed(std::size_t run) const { return seed_base_ + run; }

  /// A child ended on rank `rank` (-1: no MPI): keep its result, or retry it once when it failed the first time.
  void ended(Ended& e, int rank)
  {
    ChildRun& r = results_[e.run];
    classify(e, r, accept_);
    if (!r.ok && e.attempt == 0 && r.status != "not started") {
      std::fprintf(stderr, "cyberex %s: run %zu (seed %" PRIu64 ") died (%s)%s; retrying\n", command_.c_str(),
                   e.run + 1, r.seed, r.status.c_str(), rank >= 0 ? (" on rank " + std::to_string(rank)).c_str() : "");
      std::fflush(stderr);
      pending_.push_front({e.run, 1});
      return;
    }
    ++done_;
    if (!r.ok)
      ++failed_;
    progress_.update(done_, failed_);
  }

  std::vector<ChildRun>& results() { return results_; }
  double seconds() const { return progress_.seconds(); }

private:
  std::string command_;
  std::uint64_t seed_base_;
  std::vector<ChildRun> results_;
  std::deque<std::pair<std::size_t, int>> pending_; // (run, attempt)
  std::size_t done_ = 0, failed_ = 0;
  Progress progress_;
  const std::function<bool(ChildRun&)>& accept_;
};

// ---- the messages between ranks (tags), and their bytes ----

enum Tag : int {
  READY = 1,      ///< worker -> 0: in run_children, with this many slots (u64)
  RESULT = 2,     ///< worker -> 0: an ended child (Ended)
  GONE = 3,       ///< worker -> 0: left for good (its command ended outside run_children)
  WORK = 10,      ///< 0 -> worker: run (u64 run, u64 attempt)
  ROUND_END = 11, ///< 0 -> worker: every run of this call is done; wait for CONTINUE or FINISH
  CONTINUE = 12,  ///< 0 -> worker: the merged results; return them, the command calls run_children again
  FINISH = 13,    ///< 0 -> worker: the command ended: MPI_Finalize and exit 0, silently
};

void put(std::string& b, std::uint64_t v)
{
  b.append(reinterpret_cast<const char*>(&v), sizeof v);
}
void put(std::string& b, const std::string& s)
{
  put(b, static_cast<std::uint64_t>(s.size()));
  b += s;
}
std::uint64_t get_u64(const std::string& b, std::size_t& at)
{
  std::uint64_t v = 0;
  if (at + sizeof v <= b.size())
    std::memcpy(&v, b.data() + at, sizeof v);
  at += sizeof v;
  return v;
}
std::string get_str(const std::string& b, std::size_t& at)
{
  const std::uint64_t n = get_u64(b, at);
  std::string s = at + n <= b.size() ? b.substr(at, n) : std::string();
  at += n;
  return s;
}

std::string encode(const Ended& e)
{
  std::string b;
  put(b, e.run);
  put(b, static_cast<std::uint64_t>(e.attempt));
  put(b, static_cast<std::uint64_t>(e.started ? 1 : 0));
  put(b, static_cast<std::uint64_t>(static_cast<std::uint32_t>(e.wait_status)));
  put(b, e.error);
  put(b, e.out);
  put(b, e.err);
  return b;
}
Ended decode_ended(const std::string& b)
{
  std::size_t at = 0;
  Ended e;
  e.run = get_u64(b, at);
  e.attempt = static_cast<int>(get_u64(b, at));
  e.started = get_u64(b, at) != 0;
  e.wait_status = static_cast<int>(static_cast<std::uint32_t>(get_u64(b, at)));
  e.error = get_str(b, at);
  e.out = get_str(b, at);
  e.err = get_str(b, at);
  return e;
}
std::string encode(const std::vector<ChildRun>& runs)
{
  std::string b;
  put(b, static_cast<std::uint64_t>(runs.size()));
  for (const auto& r : runs) {
    put(b, r.seed);
    put(b, static_cast<std::uint64_t>(r.ok ? 1 : 0));
    put(b, r.status);
    put(b, r.out);
    put(b, r.err);
  }
  return b;
}
std::vector<ChildRun> decode_runs(const std::string& b)
{
  std::size_t at = 0;
  std::vector<ChildRun> runs(get_u64(b, at));
  for (auto& r : runs) {
    r.seed = get_u64(b, at);
    r.ok = get_u64(b, at) != 0;
    r.status = get_str(b, at);
    r.out = get_str(b, at);
    r.err = get_str(b, at);
  }
  return runs;
}

/// How long a rank sleeps in its loop when nothing happens: short against a run (tens of ms at the least), long
/// enough not to spin (OpenMPI's blocking receive would keep a core busy that a run needs).
constexpr timespec tick{0, 2'000'000};

bool jobs_given = false;

/// Rank 0 between calls: what each worker is doing, the last call's results (for CONTINUE).
struct Worker {
  bool gone = false;    ///< sent GONE
  bool parked = false;  ///< got ROUND_END, waits for CONTINUE or FINISH
  bool in_call = false; ///< sent READY in this call
  std::size_t slots = 0, outstanding = 0;
};
std::vector<Worker> workers;
std::vector<ChildRun> last_results;
bool coordinated = false;

std::vector<ChildRun> coordinate(const std::string& command, std::uint64_t seed_base, std::size_t runs,
                                 std::size_t jobs, bool quiet, const std::function<void(std::uint64_t)>& child,
                                 const std::function<bool(ChildRun&)>& accept)
{
  using clock = std::chrono::steady_clock;
  const int size = mpi::size();
  if (workers.empty())
    workers.resize(static_cast<std::size_t>(size));
  clock::duration overhead{};
  if (coordinated) { // a worker parked after the last call returns those results and calls run_children again
    const std::string bytes = encode(last_results);
    for (int w = 1; w < size; ++w)
      if (workers[w].parked && !workers[w].gone) {
        mpi::send(w, CONTINUE, bytes);
        workers[w].parked = false;
      }
  }
  coordinated = true;
  for (auto& w : workers)
    w.in_call = false, w.slots = 0, w.outstanding = 0;
  Book book(command, seed_base, runs, quiet, accept);
  LocalRuns local(child);
  std::vector<Ended> ended;
  auto give = [&](int w) {
    Worker& k = workers[w];
    while (k.slots > 0 && book.has_pending()) {
      const auto [run, attempt] = book.take();
      std::string b;
      put(b, run);
      put(b, static_cast<std::uint64_t>(attempt));
      mpi::send(w, WORK, b);
      --k.slots;
      ++k.outstanding;
    }
  };
  auto finished = [&] {
    if (!book.all_done() || local.size() > 0)
      return false;
    for (int w = 1; w < size; ++w)
      if (!workers[w].gone && !workers[w].parked)
        return false;
    return true;
  };
  std::string bytes;
  while (!finished()) {
    while (book.has_pending() && local.size() < jobs) {
      const auto [run, attempt] = book.take();
      local.start(run, book.seed(run), attempt, ended);
    }
    int from = 0, tag = 0;
    for (;;) {
      const auto t0 = clock::now();
      if (!mpi::try_receive(from, tag, bytes))
        break;
      Worker& k = workers[from];
      if (tag == READY) {
        std::size_t at = 0;
        k.in_call = true;
        k.slots = get_u64(bytes, at);
      } else if (tag == RESULT) {
        Ended e = decode_ended(bytes);
        ++k.slots;
        --k.outstanding;
        book.ended(e, from);
      } else if (tag == GONE) {
        k.gone = true;
      }
      give(from);
      overhead += clock::now() - t0;
    }
    local.wait(&tick, ended);
    for (auto& e : ended)
      book.ended(e, 0);
    ended.clear();
    const auto t0 = clock::now();
    bool sent = false;
    for (int w = 1; w < size; ++w) {
      Worker& k = workers[w];
      if (k.slots > 0 && book.has_pending()) {
        give(w); // a retry to hand out, or a worker that had to wait
        sent = true;
      }
      if (book.all_done() && k.in_call && !k.gone && !k.parked && k.outstanding == 0) {
        mpi::send(w, ROUND_END, {});
        k.parked = true;
        sent = true;
      }
    }
    if (sent)
      overhead += clock::now() - t0;
  }
  if (!quiet)
    std::fprintf(stderr, "cyberex %s: %zu runs on %d ranks in %.1f s; coordinator %.0f us per run\n", command.c_str(),
                 runs, size, book.seconds(),
                 runs ? std::chrono::duration<double, std::micro>(overhead).count() / static_cast<double>(runs) : 0.0);
  last_results = book.results();
  return std::move(book.results());
}

/// A worker rank: runs what rank 0 hands out until the call is over, then returns the merged results (another call
/// follows) or ends the process (the command is over).
std::vector<ChildRun> work(std::uint64_t seed_base, std::size_t jobs, const std::function<void(std::uint64_t)>& child,
                           const std::function<bool(ChildRun&)>& accept)
{
  {
    // one run more than it runs at once: the next run is here when one ends, not a round trip to rank 0 later
    std::string b;
    put(b, static_cast<std::uint64_t>(jobs + 1));
    mpi::send(0, READY, b);
  }
  LocalRuns local(child);
  std::vector<Ended> ended;
  std::deque<std::pair<std::size_t, int>> queued; // (run, attempt) handed out, not started yet
  auto start_queued = [&] {
    while (!queued.empty() && local.size() < jobs) {
      const auto [run, attempt] = queued.front();
      queued.pop_front();
      local.start(run, seed_base + run, attempt, ended);
    }
  };
  std::string bytes;
  for (;;) {
    int from = 0, tag = 0;
    while (mpi::try_receive(from, tag, bytes)) {
      if (tag == WORK) {
        std::size_t at = 0;
        const std::size_t run = get_u64(bytes, at);
        const int attempt = static_cast<int>(get_u64(bytes, at));
        queued.emplace_back(run, attempt);
      } else if (tag == CONTINUE) {
        std::vector<ChildRun> runs = decode_runs(bytes);
        for (auto& r : runs)
          if (r.ok)
            accept(r); // the command's own record of the outputs, as on rank 0
        return runs;
      } else if (tag == FINISH) {
        mpi::finalize();
        std::fflush(nullptr);
        ::_exit(0);
      }
      // ROUND_END: nothing to do but wait for CONTINUE or FINISH
    }
    start_queued();
    local.wait(&tick, ended);
    start_queued(); // before reporting: the next run starts at once
    for (const auto& e : ended)
      mpi::send(0, RESULT, encode(e));
    ended.clear();
  }
}

} // namespace

void note_arguments(const std::vector<std::string>& args)
{
  for (const auto& a : args)
    if (a == "--jobs" || a.rfind("--jobs=", 0) == 0)
      jobs_given = true;
}

int end_ranks(int code)
{
  if (!mpi::initialized())
    return code;
  const int size = mpi::size();
  if (size > 1 && mpi::rank() == 0) {
    if (workers.empty())
      workers.resize(static_cast<std::size_t>(size));
    for (int w = 1; w < size; ++w)
      if (workers[w].parked && !workers[w].gone) {
        mpi::send(w, FINISH, {});
        workers[w].gone = true;
      }
    // the others are still loading (READY comes) or have ended their command (GONE comes)
    std::string bytes;
    for (;;) {
      bool all = true;
      for (int w = 1; w < size; ++w)
        all = all && workers[w].gone;
      if (all)
        break;
      int from = 0, tag = 0;
      if (!mpi::try_receive(from, tag, bytes)) {
        ::nanosleep(&tick, nullptr);
        continue;
      }
      if (tag == READY)
        mpi::send(from, FINISH, {});
      workers[from].gone = true;
    }
  } else if (size > 1) {
    mpi::send(0, GONE, {});
    code = 0; // only rank 0 says how the command went
  }
  mpi::finalize();
  return code;
}

std::vector<ChildRun> run_children(const std::string& command, std::uint64_t seed_base, std::size_t runs,
                                   std::size_t jobs, bool quiet, const std::function<void(std::uint64_t)>& child,
                                   const std::function<bool(ChildRun&)>& accept)
{
  if (mpi::initialized() && !jobs_given)
    jobs = 1; // under MPI the ranks are the parallelism: one run at a time per rank unless --jobs says otherwise
  jobs = std::max<std::size_t>(jobs, 1);
  if (mpi::initialized() && mpi::size() > 1)
    return mpi::rank() == 0 ? coordinate(command, seed_base, runs, jobs, quiet, child, accept)
                            : work(seed_base, jobs, child, accept);
  Book book(command, seed_base, runs, quiet, accept);
  LocalRuns local(child);
  std::vector<Ended> ended;
  while (!book.all_done()) {
    while (book.has_pending() && local.size() < jobs) {
      const auto [run, attempt] = book.take();
      local.start(run, book.seed(run), attempt, ended);
    }
    if (ended.empty())
      local.wait(nullptr, ended);
    for (auto& e : ended)
      book.ended(e, -1);
    ended.clear();
  }
  if (mpi::initialized() && !quiet)
    std::fprintf(stderr, "cyberex %s: %zu runs on 1 rank in %.1f s\n", command.c_str(), runs, book.seconds());
  return std::move(book.results());
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

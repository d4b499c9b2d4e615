/* Runs with consecutive seeds, each in a forked child process (one SimGrid engine per process), at most J at once:
 * what `cyberex batch` and `cyberex check` share. The child writes its result on stdout; the parent keeps every run's
 * output by seed, so what is made of them never depends on the order in which they complete. */
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace cyberex {
struct LoadResult;
struct ScriptedCommand;
} // namespace cyberex

namespace cyberex::cli {

/// One run as its child left it.
struct ChildRun {
  std::uint64_t seed = 0;
  bool ok = false;    ///< exited with status 0 and `accept` took its output
  std::string status; ///< why not: "exit 2", "signal 9", "bad output", "not started"
  std::string out, err;
};

/// Runs `runs` children with seeds seed_base, seed_base + 1, ...; at most `jobs` at once. Each child calls
/// `child(seed)`, which must not return (it ends with _exit). When a child exits with status 0, `accept(run)` reads
/// its output (false: "bad output"). Progress on stderr ("cyberex COMMAND: 10/100 runs done ...") unless `quiet`.
/// Results in seed order.
std::vector<ChildRun> run_children(const std::string& command, std::uint64_t seed_base, std::size_t runs,
                                   std::size_t jobs, bool quiet, const std::function<void(std::uint64_t)>& child,
                                   const std::function<bool(ChildRun&)>& accept);

/// Under MPI (mpirun -n N, N > 1) run_children is distributed: rank 0 hands out the runs one by one to whichever
/// rank has a free slot (itself included), retries a failed run once, merges the results in seed order and returns
/// exactly what the single-machine call returns; each rank runs at most `jobs` children at once, 1 unless --jobs was
/// given (note_arguments). A worker rank returns the same results when the command calls run_children again, and
/// otherwise ends inside it (MPI_Finalize, exit 0) once rank 0's command is over: only rank 0 prints.
/// In every case a run whose child fails (exit status, signal, bad output) is retried once, said on stderr as
/// "cyberex COMMAND: run 17 (seed 58) died (signal 9) on rank 1; retrying" (no " on rank" without MPI). Test hook:
/// with CYBEREX_FAULT_KILL_SEED=S in the environment, the child of seed S raises SIGKILL on its first attempt.
void note_arguments(const std::vector<std::string>& args);

/// At the end of main: under MPI, ends the other ranks (rank 0) or tells rank 0 this one is gone (workers), then
/// MPI_Finalize. Returns the exit status: `code` on rank 0 and without MPI, 0 on the other ranks.
int end_ranks(int code);

/// Loads the scenario once for all the runs and, when `play` is not empty, its responses as player commands
/// (`script`), printing every diagnostic of both on stderr: a bad file is one clear error instead of N failed runs.
/// False, after "cyberex COMMAND: invalid scenario 'FILE'" (or "invalid play file"), when either has an error.
bool load_for_runs(const std::string& command, const std::string& file, const std::string& play, LoadResult& loaded,
                   std::vector<ScriptedCommand>& script);

/// Seeds in increasing order as ranges: "42..44, 47".
std::string seed_ranges(const std::vector<std::uint64_t>& seeds);

/// The end of a child's stderr, for a message: trailing newlines dropped, at most its last 400 bytes.
std::string excerpt(const std::string& err);

} // namespace cyberex::cli

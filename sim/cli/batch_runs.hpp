/* What `cyberex batch` and `cyberex sensitivity` share: the child that runs one seed and prints its KPIs as
 * `cyberex run --json` does, reading its output back, the KPI columns read from it, and their statistics. One
 * definition, so both commands measure the same things the same way. Internal to the cyberex command. */
#pragma once

#include "cyberex/engine.hpp"
#include "cyberex/journal.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace cyberex::cli {

/// One run's outcome: the child's KPI JSON (and the responses its exercise refused), or why it failed.
struct RunResult {
  std::uint64_t seed = 0;
  bool ok = false;
  std::string status; ///< "exit 2", "signal 9", "bad output"
  std::string out, err;
  std::string kpis_text; ///< the child's first line: byte for byte what `cyberex run --json` prints
  nlohmann::json kpis;
  std::vector<std::string> rejected;   ///< as `cyberex play` reports them
  std::vector<std::string> not_issued; ///< conditional responses not issued (not triggered, or due after the end)
};

/// One KPI column: its name and its value in each run (nullopt = never happened).
struct Metric {
  std::string name;
  bool nullable = false;
  std::vector<std::optional<double>> values; ///< one per successful run, in seed order
};

struct Stats {
  std::size_t count = 0;
  double mean = 0, stddev = 0, min = 0, p10 = 0, p50 = 0, p90 = 0, max = 0;
};

/// Mean (summed in seed order), sample standard deviation (n - 1; 0 for one value) and nearest-rank percentiles of
/// the values that are not nullopt.
Stats statistics(const std::vector<std::optional<double>>& values);

/// The KPI columns, named after the first successful run (every run of a scenario has the same campaigns and
/// services); values of the successful runs, in seed order.
std::vector<Metric> collect(const std::vector<RunResult>& runs);

/// The success time of every campaign step, one nullable column each ("campaign C step S succeeded_s"): when the step
/// succeeded in a run, or never (docs/after-action.md, "Batch").
struct StepColumn {
  std::string campaign, step;
  Metric metric;
};
std::vector<StepColumn> collect_steps(const std::vector<RunResult>& runs);

/// `v` with `precision` decimals ("%.*f").
std::string fixed(double v, int precision = 3);

/// What every run shares: the scenario, the responses (as player commands), the options and the simulated duration.
struct RunSpec {
  const Scenario* scenario = nullptr;
  bool responses = false; ///< --play given: runs go through the exercise session
  const std::vector<ScriptedCommand>* script = nullptr;
  ExerciseOptions options;
  double until = 0;
  std::string command = "batch"; ///< names the command in the child's error messages
};

/// The child's whole life: simulate with `seed`, print the KPIs as `cyberex run --json` does, then (--play) each
/// response the exercise refused as one JSON string per line, exit.
[[noreturn]] void child_run(const RunSpec& spec, std::uint64_t seed);

/// Splits a child's output (r.out) into its KPI line and the refused responses that follow it; false if it is not
/// that.
bool read_child_output(RunResult& r);

/// Runs every seed, at most `jobs` at once; results in seed order.
std::vector<RunResult> run_all(const RunSpec& spec, std::uint64_t seed_base, std::size_t runs, std::size_t jobs,
                               bool quiet);

/// Each message of `messages` (RunResult::rejected or ::not_issued) once, in the order the runs first give it, with the
/// seeds of the runs that gave it: what a team may do, and whether a trigger fires, depends on the seed.
std::vector<std::pair<std::string, std::vector<std::uint64_t>>>
seeds_by_message(const std::vector<RunResult>& runs, std::vector<std::string> RunResult::*messages);

/// A time as "1h02m03s".
std::string hms(double t);

} // namespace cyberex::cli

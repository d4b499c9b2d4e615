/* cyberex batch SCENARIO: N runs with consecutive seeds in parallel child processes, then the distribution of every
 * KPI. The scenario, the play file and the ATT&CK catalog are read once here; each run is a fork() of this process
 * that creates its own SimGrid engine (one per process) and prints its KPIs as `cyberex run --json` does. Results are
 * kept by seed, so the output never depends on completion order. */
#include "batch_runs.hpp"
#include "child_runs.hpp"
#include "commands.hpp"
#include "options.hpp"

#include "cyberex/engine.hpp"
#include "cyberex/exercise_time.hpp"
#include "cyberex/journal.hpp"
#include "cyberex/scenario.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cerrno>
#include <cinttypes>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <optional>
#include <sstream>
#include <string>
#include <unistd.h>
#include <vector>

namespace cyberex::cli {
namespace {

using nlohmann::json;

void usage(std::FILE* out)
{
  std::fprintf(
      out, "usage: cyberex batch SCENARIO [--runs N] [--jobs J] [--play FILE] [--until TIME] [--seed-base S]\n"
           "                     [--csv FILE] [--json] [--quiet] [--exact-probes] [--per-flow-floods]\n\n"
           "Runs the scenario N times with seeds S, S+1, ..., S+N-1, at most J child processes at once (each does\n"
           "what 'cyberex run SCENARIO --json --quiet --seed K' does), then prints the distribution of every KPI: "
           "number of\n"
           "runs with a value, mean, standard deviation, min, p10, p50, p90, max. Percentiles are nearest-rank:\n"
           "pP is the smallest value with at least P%% of the values at or below it. A KPI that can be 'never'\n"
           "(time to detect, time to contain, first compromise) is counted separately and its statistics cover the\n"
           "runs where it happened only. Then, for every campaign step, the share of runs in which it succeeded and\n"
           "p10, p50, p90 of its success time (also in --json as \"steps\" and in --csv as one column per step).\n\n"
           "options:\n"
           "  --runs N        number of runs (default 100)\n"
           "  --jobs J        parallel runs (default: the number of cores)\n"
           "  --play FILE     scripted team actions, played in every run as 'cyberex run --play' plays them (a\n"
           "                  refused response is reported once on stderr, with the runs that refused it)\n"
           "  --until TIME    simulated duration of each run, e.g. 8h (default: the exercise duration)\n"
           "  --seed-base S   first seed (default: the scenario's exercise.seed)\n"
           "  --csv FILE      write one row per run (sorted by seed), then one row per statistic\n"
           "  --json          print the runs and the statistics as one JSON object instead of a table\n"
           "  --quiet         no progress on stderr\n"
           "  --exact-probes  every availability probe as SimGrid transfers (as 'cyberex run --exact-probes')\n"
           "  --per-flow-floods  one SimGrid flow pair per bot (as 'cyberex run --per-flow-floods')\n"
           "  --help          show this help\n\n"
           "exit status: 0 every run succeeded, 1 usage error, 2 invalid scenario or play file, or a response was\n"
           "refused in some run (the statistics are printed all the same), 3 a run failed\n");
}

std::string csv_field(const std::string& s)
{
  if (s.find_first_of(",\"\n") == std::string::npos)
    return s;
  std::string q = "\"";
  for (char c : s) {
    if (c == '"')
      q += '"';
    q += c;
  }
  return q + "\"";
}

} // namespace

int cmd_batch(const Args& args)
{
  std::string file, play, until_text, csv;
  std::optional<std::uint64_t> seed_base;
  std::size_t runs = 100;
  long cores = ::sysconf(_SC_NPROCESSORS_ONLN);
  std::size_t jobs = cores > 0 ? static_cast<std::size_t>(cores) : 1;
  bool json_out = false, quiet = false, exact_probes = false, per_flow_floods = false;
  auto integer = [](const std::string& name, const std::string& v, bool positive) -> std::optional<std::uint64_t> {
    char* end = nullptr;
    errno = 0;
    const unsigned long long n = std::strtoull(v.c_str(), &end, 10);
    if (v.empty() || *end != '\0' || v[0] == '-' || errno != 0 || (positive && n == 0)) {
      std::fprintf(stderr, "cyberex batch: %s expects a %s integer, got '%s'\n", name.c_str(),
                   positive ? "positive" : "non-negative", v.c_str());
      return std::nullopt;
    }
    return n;
  };
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    auto value = [&]() -> const std::string* {
      if (i + 1 >= args.size()) {
        std::fprintf(stderr, "cyberex batch: %s needs a value\n", a.c_str());
        return nullptr;
      }
      return &args[++i];
    };
    if (a == "--help" || a == "-h") {
      usage(stdout);
      return 0;
    } else if (a == "--runs" || a == "--jobs" || a == "--seed-base") {
      const std::string& name = a;
      const std::string* v = value();
      if (!v)
        return 1;
      const auto n = integer(name, *v, name != "--seed-base");
      if (!n)
        return 1;
      if (name == "--runs")
        runs = *n;
      else if (name == "--jobs")
        jobs = *n;
      else
        seed_base = *n;
    } else if (a == "--play" || a == "--until" || a == "--csv") {
      const std::string& name = a;
      const std::string* v = value();
      if (!v)
        return 1;
      (name == "--play" ? play : name == "--until" ? until_text : csv) = *v;
    } else if (a == "--json") {
      json_out = true;
    } else if (a == "--quiet" || a == "-q") {
      quiet = true;
    } else if (a == "--exact-probes") {
      exact_probes = true;
    } else if (a == "--per-flow-floods") {
      per_flow_floods = true;
    } else if (a.size() > 1 && a[0] == '-') {
      std::fprintf(stderr, "cyberex batch: unknown option '%s'\n", a.c_str());
      usage(stderr);
      return 1;
    } else if (file.empty()) {
      file = a;
    } else {
      std::fprintf(stderr, "cyberex batch: one scenario only (got '%s' and '%s')\n", file.c_str(), a.c_str());
      return 1;
    }
  }
  if (file.empty()) {
    std::fprintf(stderr, "cyberex batch: no scenario file given\n");
    usage(stderr);
    return 1;
  }
  if (!until_text.empty() && !parse_exercise_time(until_text)) {
    std::fprintf(stderr, "cyberex batch: --until expects %s, got '%s'\n", exercise_time_forms().c_str(),
                 until_text.c_str());
    return 1;
  }

  LoadResult loaded;
  std::vector<ScriptedCommand> script;
  if (!load_for_runs("batch", file, play, loaded, script))
    return 2;
  const Scenario& scenario = *loaded.scenario;
  const std::uint64_t base = seed_base.value_or(scenario.exercise.seed);
  RunSpec spec;
  spec.scenario = &scenario;
  spec.responses = !play.empty();
  spec.script = &script;
  spec.until = !until_text.empty() ? *parse_exercise_time(until_text)
                                   : (scenario.exercise.duration > 0 ? scenario.exercise.duration : 8 * 3600.0);
  if (spec.responses && spec.until > scenario.exercise.duration) {
    std::fprintf(stderr,
                 "cyberex batch: --until %s is after the end of the exercise (%s): with --play the responses are "
                 "played in the exercise, which ends there; drop --until or give a time up to the end\n",
                 hms(spec.until).c_str(), hms(scenario.exercise.duration).c_str());
    return 1;
  }
  std::string warning;
  spec.options = cli_exercise_options(&warning);
  if (!warning.empty())
    std::fprintf(stderr, "cyberex batch: warning: %s\n", warning.c_str());
  spec.options.simulation.exact_probes = exact_probes;
  spec.options.simulation.flood = per_flow_floods ? FloodModel::per_flow : FloodModel::aggregated;

  std::fflush(stdout);
  std::fflush(stderr);
  const std::vector<RunResult> results = run_all(spec, base, runs, std::max<std::size_t>(jobs, 1), quiet);
  const std::vector<Metric> metrics = collect(results);
  std::vector<Stats> stats;
  for (const auto& m : metrics)
    stats.push_back(statistics(m.values));
  const std::vector<StepColumn> steps = collect_steps(results);
  std::vector<Stats> step_stats;
  for (const auto& st : steps)
    step_stats.push_back(statistics(st.metric.values));
  std::size_t ok = 0;
  for (const auto& r : results)
    ok += r.ok ? 1 : 0;
  const std::size_t failed = runs - ok;
  for (const auto& r : results)
    if (!r.ok)
      std::fprintf(stderr, "cyberex batch: run with seed %" PRIu64 " failed (%s): %s\n", r.seed, r.status.c_str(),
                   excerpt(r.err).c_str());
  // every refused response once, as `cyberex play` reports it, then the runs that refused it: what a team may do
  // depends on what it has received, which depends on the seed
  const auto refused = seeds_by_message(results, &RunResult::rejected);
  for (const auto& [message, seeds] : refused)
    std::fprintf(stderr, "%s\ncyberex batch: refused in %zu of %zu runs (seeds %s)\n", message.c_str(), seeds.size(),
                 ok, seed_ranges(seeds).c_str());
  // conditional responses that were not issued, once each with the runs: whether a trigger fires depends on the seed
  const auto not_issued = seeds_by_message(results, &RunResult::not_issued);
  for (const auto& [message, seeds] : not_issued)
    std::fprintf(stderr, "%s\ncyberex batch: in %zu of %zu runs (seeds %s)\n", message.c_str(), seeds.size(), ok,
                 seed_ranges(seeds).c_str());

  if (!csv.empty()) {
    std::FILE* f = std::fopen(csv.c_str(), "w");
    if (!f) {
      std::fprintf(stderr, "cyberex batch: cannot write '%s'\n", csv.c_str());
      return 1;
    }
    // the KPI columns, then one column per campaign step: the time it succeeded (empty: never)
    std::vector<const Metric*> columns;
    std::vector<const Stats*> column_stats;
    for (std::size_t i = 0; i < metrics.size(); ++i) {
      columns.push_back(&metrics[i]);
      column_stats.push_back(&stats[i]);
    }
    for (std::size_t i = 0; i < steps.size(); ++i) {
      columns.push_back(&steps[i].metric);
      column_stats.push_back(&step_stats[i]);
    }
    std::fprintf(f, "seed,status");
    for (const Metric* m : columns)
      std::fprintf(f, ",%s", csv_field(m->name).c_str());
    std::fputc('\n', f);
    std::size_t k = 0; // index among successful runs
    for (const auto& r : results) {
      std::fprintf(f, "%" PRIu64 ",%s", r.seed, r.ok ? "ok" : csv_field(r.status).c_str());
      for (const Metric* mp : columns) {
        const Metric& m = *mp;
        std::fputc(',', f);
        if (r.ok && m.values[k])
          std::fputs(fixed(*m.values[k]).c_str(), f);
      }
      if (r.ok)
        ++k;
      std::fputc('\n', f);
    }
    const char* names[] = {"count", "mean", "stddev", "min", "p10", "p50", "p90", "max"};
    for (int s = 0; s < 8; ++s) {
      std::fprintf(f, "%s,", names[s]);
      for (std::size_t i = 0; i < columns.size(); ++i) {
        const Stats& st = *column_stats[i];
        const double v[] = {static_cast<double>(st.count), st.mean, st.stddev, st.min, st.p10, st.p50, st.p90, st.max};
        std::fputc(',', f);
        if (s == 0)
          std::fprintf(f, "%zu", st.count);
        else if (st.count > 0)
          std::fputs(fixed(v[s]).c_str(), f);
      }
      std::fputc('\n', f);
    }
    if (std::fclose(f) != 0) {
      std::fprintf(stderr, "cyberex batch: cannot write '%s'\n", csv.c_str());
      return 1;
    }
  }

  if (json_out) {
    std::string o = "{\"scenario\":" + json(file).dump() + ",\"runs\":" + std::to_string(runs) +
                    ",\"succeeded\":" + std::to_string(ok) + ",\"seed_base\":" + std::to_string(base) + ",\"kpis\":[";
    for (std::size_t i = 0; i < metrics.size(); ++i) {
      const Stats& s = stats[i];
      o += (i ? "," : "") + std::string("{\"name\":") + json(metrics[i].name).dump() +
           ",\"count\":" + std::to_string(s.count);
      if (s.count > 0)
        o += ",\"mean\":" + fixed(s.mean) + ",\"stddev\":" + fixed(s.stddev) + ",\"min\":" + fixed(s.min) +
             ",\"p10\":" + fixed(s.p10) + ",\"p50\":" + fixed(s.p50) + ",\"p90\":" + fixed(s.p90) +
             ",\"max\":" + fixed(s.max);
      o += "}";
    }
    // every step's success time over the runs: the share of runs in which it succeeded and its percentiles there
    o += "],\"steps\":[";
    for (std::size_t i = 0; i < steps.size(); ++i) {
      const Stats& s = step_stats[i];
      o += (i ? "," : "") + std::string("{\"campaign\":") + json(steps[i].campaign).dump() +
           ",\"step\":" + json(steps[i].step).dump() + ",\"succeeded\":" + std::to_string(s.count) +
           ",\"share\":" + fixed(ok ? static_cast<double>(s.count) / static_cast<double>(ok) : 0, 4);
      if (s.count > 0)
        o += ",\"p10\":" + fixed(s.p10) + ",\"p50\":" + fixed(s.p50) + ",\"p90\":" + fixed(s.p90);
      o += "}";
    }
    o += "],\"per_run\":[";
    for (std::size_t i = 0; i < results.size(); ++i) {
      const RunResult& r = results[i];
      o += (i ? "," : "") + std::string("{\"seed\":") + std::to_string(r.seed) +
           ",\"status\":" + json(r.ok ? "ok" : r.status).dump();
      if (r.ok) {
        o += ",\"kpis\":" + r.kpis_text; // the child's own text: byte for byte what `cyberex run --json` prints
        if (!r.rejected.empty())
          o += ",\"rejected\":" + json(r.rejected).dump(-1, ' ', false, json::error_handler_t::replace);
      } else
        o += ",\"stderr\":" + json(excerpt(r.err)).dump(-1, ' ', false, json::error_handler_t::replace);
      o += "}";
    }
    o += "]}";
    std::printf("%s\n", o.c_str());
  } else {
    std::printf("%s: %zu runs, seeds %" PRIu64 "..%" PRIu64 ", %zu succeeded, %zu failed\n", file.c_str(), runs, base,
                base + (runs ? runs - 1 : 0), ok, failed);
    std::printf("percentiles are nearest-rank; 'never' values (not detected, not contained) are counted apart and\n"
                "left out of the statistics\n\n");
    std::size_t width = 4;
    for (const auto& m : metrics)
      width = std::max(width, m.name.size());
    std::printf("%-*s %18s %14s %14s %14s %14s %14s %14s %14s\n", static_cast<int>(width), "kpi", "runs", "mean",
                "stddev", "min", "p10", "p50", "p90", "max");
    for (std::size_t i = 0; i < metrics.size(); ++i) {
      const Stats& s = stats[i];
      std::string n = std::to_string(s.count);
      if (metrics[i].nullable)
        n += " (" + fixed(ok ? 100.0 * static_cast<double>(s.count) / static_cast<double>(ok) : 0, 1) + "%)";
      if (s.count == 0) {
        std::printf("%-*s %18s %14s\n", static_cast<int>(width), metrics[i].name.c_str(), n.c_str(), "never");
        continue;
      }
      std::printf("%-*s %18s %14s %14s %14s %14s %14s %14s %14s\n", static_cast<int>(width), metrics[i].name.c_str(),
                  n.c_str(), fixed(s.mean).c_str(), fixed(s.stddev).c_str(), fixed(s.min).c_str(), fixed(s.p10).c_str(),
                  fixed(s.p50).c_str(), fixed(s.p90).c_str(), fixed(s.max).c_str());
    }
    if (!steps.empty()) {
      std::printf("\nstep success times from the exercise start (runs in which the step succeeded; percentiles over "
                  "those runs)\n");
      std::size_t cw = 8, sw = 4;
      for (const auto& st : steps) {
        cw = std::max(cw, st.campaign.size());
        sw = std::max(sw, st.step.size());
      }
      std::printf("%-*s %-*s %18s %10s %10s %10s\n", static_cast<int>(cw), "campaign", static_cast<int>(sw), "step",
                  "succeeded", "p10", "p50", "p90");
      for (std::size_t i = 0; i < steps.size(); ++i) {
        const Stats& s = step_stats[i];
        const std::string n = std::to_string(s.count) + " (" +
                              fixed(ok ? 100.0 * static_cast<double>(s.count) / static_cast<double>(ok) : 0, 1) + "%)";
        if (s.count == 0)
          std::printf("%-*s %-*s %18s %10s\n", static_cast<int>(cw), steps[i].campaign.c_str(), static_cast<int>(sw),
                      steps[i].step.c_str(), n.c_str(), "never");
        else
          std::printf("%-*s %-*s %18s %10s %10s %10s\n", static_cast<int>(cw), steps[i].campaign.c_str(),
                      static_cast<int>(sw), steps[i].step.c_str(), n.c_str(), hms(s.p10).c_str(), hms(s.p50).c_str(),
                      hms(s.p90).c_str());
      }
    }
  }
  std::fflush(stdout);
  return failed ? 3 : refused.empty() ? 0 : 2;
}

} // namespace cyberex::cli

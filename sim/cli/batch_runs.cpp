/* The runs `cyberex batch` and `cyberex sensitivity` share (batch_runs.hpp). */
#include "batch_runs.hpp"
#include "child_runs.hpp"

#include "cyberex/scenario.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <functional>
#include <sstream>
#include <unistd.h>

namespace cyberex::cli {
namespace {

using nlohmann::json;

/// Nearest rank: the smallest value with at least p% of the values at or below it (sorted, non-empty).
double nearest_rank(const std::vector<double>& sorted, int p)
{
  const std::size_t n = sorted.size();
  std::size_t rank = (static_cast<std::size_t>(p) * n + 99) / 100; // ceil(p/100 * n)
  rank = std::clamp<std::size_t>(rank, 1, n);
  return sorted[rank - 1];
}

std::optional<double> number(const json& j)
{
  if (j.is_number())
    return j.get<double>();
  return std::nullopt;
}

/// The first run that completed (null when none did): it names the columns.
const RunResult* first_ok(const std::vector<RunResult>& runs)
{
  for (const auto& r : runs)
    if (r.ok)
      return &r;
  return nullptr;
}

} // namespace

/// Mean (summed in seed order), sample standard deviation (n - 1; 0 for one value) and nearest-rank percentiles.
Stats statistics(const std::vector<std::optional<double>>& values)
{
  std::vector<double> v;
  for (const auto& x : values)
    if (x)
      v.push_back(*x);
  Stats s;
  s.count = v.size();
  if (v.empty())
    return s;
  double sum = 0;
  for (double x : v)
    sum += x;
  s.mean = sum / static_cast<double>(v.size());
  double sq = 0;
  for (double x : v)
    sq += (x - s.mean) * (x - s.mean);
  s.stddev = v.size() > 1 ? std::sqrt(sq / static_cast<double>(v.size() - 1)) : 0;
  std::sort(v.begin(), v.end());
  s.min = v.front();
  s.max = v.back();
  s.p10 = nearest_rank(v, 10);
  s.p50 = nearest_rank(v, 50);
  s.p90 = nearest_rank(v, 90);
  return s;
}

/// The KPI columns, named after the first successful run (every run of a scenario has the same campaigns and services).
std::vector<Metric> collect(const std::vector<RunResult>& runs)
{
  std::vector<Metric> metrics;
  const RunResult* first = first_ok(runs);
  if (!first)
    return metrics;
  struct Column {
    std::string name;
    bool nullable;
    std::function<std::optional<double>(const json&)> get;
  };
  std::vector<Column> cols;
  auto path = [](std::vector<std::string> keys) {
    return [keys](const json& k) -> std::optional<double> {
      const json* j = &k;
      for (const auto& key : keys) {
        if (!j->is_object() || !j->contains(key))
          return std::nullopt;
        j = &(*j)[key];
      }
      return number(*j);
    };
  };
  auto in_list = [](std::string list, std::string id, std::string key) {
    return [list, id, key](const json& k) -> std::optional<double> {
      if (!k.contains(list))
        return std::nullopt;
      for (const auto& e : k[list])
        if (e.value("id", "") == id && e.contains(key))
          return number(e[key]);
      return std::nullopt;
    };
  };
  cols.push_back({"compromised_max", false, path({"nodes_compromised", "max"})});
  cols.push_back({"compromised_end", false, path({"nodes_compromised", "end"})});
  for (const auto& c : first->kpis.value("campaigns", json::array())) {
    const std::string id = c.value("id", "");
    cols.push_back({"campaign " + id + " exfiltrated_mb", false,
                    [f = in_list("campaigns", id, "bytes_exfiltrated")](const json& k) -> std::optional<double> {
                      const auto v = f(k);
                      return v ? std::optional<double>(*v / 1e6) : std::nullopt;
                    }});
    cols.push_back({"campaign " + id + " steps_succeeded", false, in_list("campaigns", id, "steps_succeeded")});
    cols.push_back({"campaign " + id + " first_compromise_s", true, in_list("campaigns", id, "first_compromise")});
    cols.push_back({"campaign " + id + " time_to_detect_s", true, in_list("campaigns", id, "time_to_detect")});
    cols.push_back({"campaign " + id + " time_to_contain_s", true, in_list("campaigns", id, "time_to_contain")});
  }
  cols.push_back({"power mwh_lost", false, path({"power", "mwh_lost"})});
  cols.push_back({"power customer_hours_lost", false, path({"power", "customer_hours_lost"})});
  cols.push_back({"power mw_lost_max", false, path({"power", "mw_lost_max"})});
  for (const auto& s : first->kpis.value("services", json::array())) {
    const std::string id = s.value("id", "");
    cols.push_back({"service " + id + " availability_pct", false,
                    [f = in_list("services", id, "availability")](const json& k) -> std::optional<double> {
                      const auto v = f(k);
                      return v ? std::optional<double>(*v * 100) : std::nullopt;
                    }});
    cols.push_back({"service " + id + " downtime_s", false, in_list("services", id, "downtime")});
  }
  cols.push_back({"alerts true", false, path({"alerts", "true"})});
  cols.push_back({"alerts false", false, path({"alerts", "false"})});
  cols.push_back({"events", false, path({"events"})});
  for (const auto& c : cols) {
    Metric m{c.name, c.nullable, {}};
    for (const auto& r : runs)
      if (r.ok)
        m.values.push_back(c.get(r.kpis));
    metrics.push_back(std::move(m));
  }
  return metrics;
}

std::vector<StepColumn> collect_steps(const std::vector<RunResult>& runs)
{
  std::vector<StepColumn> cols;
  const RunResult* first = first_ok(runs);
  if (!first)
    return cols;
  const json none = json::array();
  for (const auto& c : first->kpis.value("campaigns", none)) {
    const std::string cid = c.value("id", "");
    std::size_t k = 0;
    for (const auto& st : c.value("steps", none)) {
      const std::string sid = st.value("id", "");
      StepColumn col{cid, sid, Metric{"campaign " + cid + " step " + sid + " succeeded_s", true, {}}};
      for (const auto& r : runs) {
        if (!r.ok)
          continue;
        std::optional<double> v;
        for (const auto& rc : r.kpis.value("campaigns", none))
          if (rc.value("id", "") == cid && rc.contains("steps") && k < rc["steps"].size())
            v = number(rc["steps"][k].value("succeeded", json()));
        col.metric.values.push_back(v);
      }
      cols.push_back(std::move(col));
      ++k;
    }
  }
  return cols;
}

std::string fixed(double v, int precision)
{
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", precision, v);
  return buf;
}

/// The child's whole life: simulate with `seed`, print the KPIs as `cyberex run --json` does, then (--play) each
/// response the exercise refused as one JSON string per line, exit.
[[noreturn]] void child_run(const RunSpec& spec, std::uint64_t seed)
{
  if (spec.responses) {
    // the responses are played as `cyberex run --play` and `cyberex play` play them: one path, the same rules
    PlayOptions po;
    po.exercise = spec.options;
    po.exercise.simulation.seed = seed;
    po.until = spec.until;
    const PlayOutcome o = play_exercise(*spec.scenario, po, *spec.script);
    if (!o.ok) {
      std::fprintf(stderr, "cyberex %s: %s\n", spec.command.c_str(), o.error.c_str());
      std::fflush(stderr);
      ::_exit(2);
    }
    std::printf("%s\n", o.kpis.c_str());
    for (const auto& r : o.rejected)
      std::printf("%s\n", json(r).dump(-1, ' ', false, json::error_handler_t::replace).c_str());
    for (const auto& r : o.not_issued)
      std::printf("%s\n", json{{"not_issued", r}}.dump(-1, ' ', false, json::error_handler_t::replace).c_str());
  } else {
    SimulationOptions options = spec.options.simulation;
    options.seed = seed;
    Simulation sim(*spec.scenario, options);
    sim.advance_to(spec.until);
    std::printf("%s\n", kpis_to_json(sim.kpis()).c_str());
  }
  std::fflush(stdout);
  std::fflush(stderr);
  ::_exit(0); // no destructors: the SimGrid engine is left to the process exit (docs/engine.md)
}

/// Splits a child's output into its KPI line and the refused responses that follow it; false if it is not that.
bool read_child_output(RunResult& r)
{
  std::istringstream lines(r.out);
  std::string line;
  if (!std::getline(lines, line))
    return false;
  r.kpis_text = line;
  r.kpis = json::parse(line, nullptr, false);
  if (r.kpis.is_discarded() || !r.kpis.is_object())
    return false;
  while (std::getline(lines, line)) {
    const json j = json::parse(line, nullptr, false);
    if (j.is_object() && j.contains("not_issued") && j["not_issued"].is_string()) {
      r.not_issued.push_back(j["not_issued"].get<std::string>());
      continue;
    }
    if (!j.is_string())
      return false;
    r.rejected.push_back(j.get<std::string>());
  }
  return true;
}

/// Runs every seed, at most `jobs` at once; results in seed order.
std::vector<RunResult> run_all(const RunSpec& spec, std::uint64_t seed_base, std::size_t runs, std::size_t jobs,
                               bool quiet)
{
  std::vector<RunResult> results(runs);
  std::vector<ChildRun> children = run_children(
      spec.command, seed_base, runs, jobs, quiet, [&](std::uint64_t seed) { child_run(spec, seed); },
      [&](ChildRun& c) {
        RunResult& r = results[c.seed - seed_base];
        r.out = c.out;
        return read_child_output(r);
      });
  for (std::size_t i = 0; i < runs; ++i) {
    RunResult& r = results[i];
    r.seed = children[i].seed;
    r.ok = children[i].ok;
    r.status = std::move(children[i].status);
    r.out = std::move(children[i].out);
    r.err = std::move(children[i].err);
  }
  return results;
}

std::string hms(double t)
{
  const long s = std::lround(t);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%ldh%02ldm%02lds", s / 3600, (s / 60) % 60, s % 60);
  return buf;
}

std::vector<std::pair<std::string, std::vector<std::uint64_t>>>
seeds_by_message(const std::vector<RunResult>& runs, std::vector<std::string> RunResult::*messages)
{
  std::vector<std::pair<std::string, std::vector<std::uint64_t>>> grouped;
  for (const auto& r : runs)
    for (const auto& message : r.*messages) {
      auto it = std::find_if(grouped.begin(), grouped.end(), [&](const auto& x) { return x.first == message; });
      if (it == grouped.end())
        grouped.push_back({message, {r.seed}});
      else
        it->second.push_back(r.seed);
    }
  return grouped;
}

} // namespace cyberex::cli

/* cyberex sensitivity SCENARIO --play FILE: which scripted response matters most. The batch of runs is played once as
 * scripted (the baseline) and once per variant (one response, or all of one team's, delayed or dropped) over the same
 * seeds; each KPI's change is the mean of the paired per-seed differences with a Student t confidence interval. Every
 * run is a child of run_children (one SimGrid engine per process), as in `cyberex batch` (batch_runs.hpp). */
#include "batch_runs.hpp"
#include "child_runs.hpp"
#include "commands.hpp"
#include "options.hpp"

#include "cyberex/scenario.hpp"
#include "cyberex/sensitivity_chart.hpp"

#include <boost/math/distributions/students_t.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cinttypes>
#include <cmath>
#include <cstdio>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <unistd.h>
#include <vector>

namespace cyberex::cli {
namespace {

using nlohmann::json;
using nlohmann::ordered_json;

const char* const DEFAULT_RANK = "exfiltrated_mb";
const char* const TOTAL_EXFILTRATED = "exfiltrated_mb";

void usage(std::FILE* out)
{
  std::fprintf(
      out,
      "usage: cyberex sensitivity SCENARIO --play FILE [--runs N] [--delay TIME] [--drop] [--rank-by KPI]\n"
      "                           [--team TEAM] [--json] [--svg FILE] [--seed-base S] [--jobs J] [--quiet]\n\n"
      "Which scripted response mattered most. Plays the batch of N runs (seeds S..S+N-1) with the responses of the\n"
      "play file as scripted (the baseline), then once per variant over the same seeds: each response delayed by\n"
      "TIME, or dropped, and each team's responses all together (teams with two or more). The change of a KPI is\n"
      "the mean over the seeds of (variant - baseline) of that seed, with its 95 %% confidence interval (Student t,\n"
      "n - 1 degrees of freedom; n = the seeds where both runs succeeded and the KPI has a value in both). Variants\n"
      "are ranked by the absolute change of one KPI, largest first.\n\n"
      "Delaying a timed response (\"at\") plays it TIME later; delaying a conditional one (\"when\") issues it TIME\n"
      "later than its trigger + after would. A response delayed past the end of the exercise reaches an ended\n"
      "session, which refuses it: it is then in effect dropped (reported on stderr).\n\n"
      "options:\n"
      "  --play FILE     the responses (required): as 'cyberex batch --play' plays them\n"
      "  --runs N        runs per variant (default 20); the cost is (variants + 1) x N runs, printed first\n"
      "  --delay TIME    delay each response by TIME, e.g. 30m (a duration, greater than 0)\n"
      "  --drop          drop each response\n"
      "                  (neither --delay nor --drop: both, with --delay 30m; one of them: that one only)\n"
      "  --team TEAM     vary only the responses of TEAM (repeatable; default: every team's), which costs\n"
      "                  fewer runs; the others are played as scripted in every run\n"
      "  --rank-by KPI   the KPI that ranks the variants (default exfiltrated_mb: the data exfiltrated by all\n"
      "                  campaigns, the report's headline outcome); any KPI column of 'cyberex batch', e.g.\n"
      "                  'power mwh_lost', 'compromised_max', 'campaign apt-de time_to_contain_s'\n"
      "  --json          one JSON object: the baseline, every variant's change of every KPI, and each seed's\n"
      "                  differences (\"per_seed\")\n"
      "  --svg FILE      write a tornado chart of the ranking KPI's change (bars: mean; whiskers: 95 %% CI)\n"
      "  --seed-base S   first seed (default: the scenario's exercise.seed)\n"
      "  --jobs J        parallel runs (default: the number of cores)\n"
      "  --quiet         no progress on stderr\n"
      "  --help          show this help\n\n"
      "exit status: 0 done, 1 usage error, 2 invalid scenario or play file, 3 a run failed\n");
}

/// One variant of the play: which responses it changes and how, and its script.
struct Variant {
  bool drop = false;
  bool team_scope = false;
  std::string team;
  std::vector<std::size_t> responses; ///< indices into the play's script
  std::string label;                  ///< "cert-de 0h50m00s block ioc-lure1-sender" or "cert-de: all 3 responses"
  std::vector<ScriptedCommand> script;
};

/// What a response does, in a few words: "block ioc-x", "isolate node:y", "share to a, b (2 indicators)", "report".
std::string describe(const ScriptedCommand& c)
{
  const json j = json::parse(c.command, nullptr, false);
  if (!j.is_object())
    return c.command;
  const std::string type = j.value("type", "");
  if (type == "message") {
    std::string to;
    for (const auto& t : j.value("to", json::array()))
      to += (to.empty() ? "" : ",") + t.get<std::string>();
    std::string s = "share to " + to;
    if (j.contains("indicators"))
      s += " (" + std::to_string(j["indicators"].size()) + " indicators)";
    return s;
  }
  if (type == "sitrep")
    return "report";
  std::string s = j.value("action", type);
  for (const char* key : {"target", "indicator", "vulnerability", "service"})
    if (j.contains(key))
      s += std::string(" ") + j[key].get<std::string>();
  return s;
}

std::string response_label(const ScriptedCommand& c)
{
  if (c.when)
    return c.who.team + " (when, " + hms(c.after) + " after) " + describe(c);
  return c.who.team + " " + hms(c.at) + " " + describe(c);
}

/// The script with the responses `which` dropped or delayed by `delay` seconds.
std::vector<ScriptedCommand> changed(const std::vector<ScriptedCommand>& script, const std::vector<std::size_t>& which,
                                     bool drop, double delay)
{
  std::vector<ScriptedCommand> out;
  for (std::size_t i = 0; i < script.size(); ++i) {
    const bool hit = std::find(which.begin(), which.end(), i) != which.end();
    if (hit && drop)
      continue;
    ScriptedCommand c = script[i];
    if (hit) {
      if (c.when)
        c.after += delay;
      else
        c.at += delay;
    }
    out.push_back(std::move(c));
  }
  return out;
}

/// The KPI names of a scenario's runs, as collect() names them, after the total of the data exfiltrated.
std::vector<std::string> kpi_names(const Scenario& s)
{
  std::vector<std::string> n{TOTAL_EXFILTRATED, "compromised_max", "compromised_end"};
  for (const auto& c : s.campaigns)
    for (const char* k :
         {"exfiltrated_mb", "steps_succeeded", "first_compromise_s", "time_to_detect_s", "time_to_contain_s"})
      n.push_back("campaign " + c.id + " " + k);
  for (const char* k : {"power mwh_lost", "power customer_hours_lost", "power mw_lost_max"})
    n.push_back(k);
  for (const auto& v : s.services) {
    n.push_back("service " + v.id + " availability_pct");
    n.push_back("service " + v.id + " downtime_s");
  }
  for (const char* k : {"alerts true", "alerts false", "events"})
    n.push_back(k);
  return n;
}

/// The KPI columns of the runs with the total data exfiltrated first (the sum of the campaigns' columns).
std::vector<Metric> columns(const std::vector<RunResult>& runs)
{
  std::vector<Metric> m = collect(runs);
  Metric total{TOTAL_EXFILTRATED, false, {}};
  std::size_t ok = 0;
  for (const auto& r : runs)
    ok += r.ok ? 1 : 0;
  total.values.assign(ok, 0.0);
  for (const auto& c : m)
    if (c.name.rfind("campaign ", 0) == 0 && c.name.size() > 15 &&
        c.name.compare(c.name.size() - 15, 15, " exfiltrated_mb") == 0)
      for (std::size_t i = 0; i < ok; ++i)
        if (c.values[i])
          *total.values[i] += *c.values[i];
  if (m.empty())
    return m;
  m.insert(m.begin(), std::move(total));
  return m;
}

/// The change of one KPI: mean of the paired differences, its 95 % CI (none with fewer than two pairs).
struct Change {
  std::string name;
  std::size_t n = 0;
  double mean = 0;
  std::optional<double> low, high;
};

Change change_of(const std::string& name, const std::vector<double>& d)
{
  Change c;
  c.name = name;
  c.n = d.size();
  if (d.empty())
    return c;
  double sum = 0;
  for (double x : d)
    sum += x;
  c.mean = sum / static_cast<double>(d.size());
  if (d.size() < 2)
    return c;
  double sq = 0;
  for (double x : d)
    sq += (x - c.mean) * (x - c.mean);
  const double sd = std::sqrt(sq / static_cast<double>(d.size() - 1));
  const boost::math::students_t t(static_cast<double>(d.size() - 1));
  const double half = boost::math::quantile(t, 0.975) * sd / std::sqrt(static_cast<double>(d.size()));
  c.low = c.mean - half;
  c.high = c.mean + half;
  return c;
}

/// Rounded to 3 decimals, as the batch prints KPIs (and -0 as 0): the same numbers in the table and the JSON.
double r3(double v)
{
  const double r = std::round(v * 1000) / 1000;
  return r == 0 ? 0 : r;
}

std::string signed3(double v)
{
  const double r = r3(v);
  return (r > 0 ? "+" : "") + fixed(r);
}

std::string interval(const Change& c)
{
  if (!c.low)
    return "-";
  return "[" + signed3(*c.low) + ", " + signed3(*c.high) + "]";
}

/// One variant's measured changes and its per-seed differences.
struct Outcome {
  std::vector<Change> changes;                                             ///< one per KPI, in column order
  std::vector<std::pair<std::uint64_t, ordered_json>> per_seed;            ///< (seed, {"status", "deltas"})
  std::vector<std::pair<std::string, std::vector<std::uint64_t>>> refused; ///< new refusals and their seeds
  std::size_t succeeded = 0;
};

Outcome compare(const std::vector<RunResult>& base, const std::vector<RunResult>& var)
{
  Outcome o;
  std::vector<RunResult> a, b; // the seeds where both succeeded, in seed order
  for (std::size_t i = 0; i < base.size(); ++i) {
    o.succeeded += var[i].ok ? 1 : 0;
    if (base[i].ok && var[i].ok) {
      a.push_back(base[i]);
      b.push_back(var[i]);
    }
    if (var[i].ok)
      for (const auto& m : var[i].rejected)
        if (std::find(base[i].rejected.begin(), base[i].rejected.end(), m) == base[i].rejected.end()) {
          auto it = std::find_if(o.refused.begin(), o.refused.end(), [&](const auto& x) { return x.first == m; });
          if (it == o.refused.end())
            o.refused.push_back({m, {var[i].seed}});
          else
            it->second.push_back(var[i].seed);
        }
  }
  const std::vector<Metric> ma = columns(a), mb = columns(b);
  std::vector<ordered_json> deltas(a.size(), ordered_json::object());
  for (std::size_t k = 0; k < ma.size() && k < mb.size(); ++k) {
    std::vector<double> d;
    for (std::size_t i = 0; i < a.size(); ++i) {
      const auto& x = ma[k].values[i];
      const auto& y = mb[k].values[i];
      if (x && y) {
        d.push_back(*y - *x);
        deltas[i][ma[k].name] = r3(*y - *x);
      } else {
        deltas[i][ma[k].name] = nullptr;
      }
    }
    o.changes.push_back(change_of(ma[k].name, d));
  }
  std::size_t j = 0;
  for (std::size_t i = 0; i < base.size(); ++i) {
    ordered_json s = ordered_json::object();
    if (base[i].ok && var[i].ok) {
      s["status"] = "ok";
      s["deltas"] = std::move(deltas[j++]);
    } else {
      s["status"] = !base[i].ok ? "baseline " + base[i].status : "variant " + var[i].status;
    }
    o.per_seed.push_back({base[i].seed, std::move(s)});
  }
  return o;
}

const Change* find_change(const Outcome& o, const std::string& name)
{
  for (const auto& c : o.changes)
    if (c.name == name)
      return &c;
  return nullptr;
}

ordered_json change_json(const Change& c)
{
  ordered_json j;
  j["name"] = c.name;
  j["n"] = c.n;
  if (c.n > 0)
    j["mean"] = r3(c.mean);
  else
    j["mean"] = nullptr;
  j["ci_low"] = c.low ? ordered_json(r3(*c.low)) : ordered_json(nullptr);
  j["ci_high"] = c.high ? ordered_json(r3(*c.high)) : ordered_json(nullptr);
  return j;
}

} // namespace

int cmd_sensitivity(const Args& args)
{
  Options opt("sensitivity", args);
  std::string file, play, svg, rank_by = DEFAULT_RANK;
  std::uint64_t runs = 20;
  std::optional<std::uint64_t> seed_base;
  const long cores = ::sysconf(_SC_NPROCESSORS_ONLN);
  std::uint64_t jobs = cores > 0 ? static_cast<std::uint64_t>(cores) : 1;
  std::optional<double> delay;
  bool drop = false, json_out = false, quiet = false;
  std::vector<std::string> only_teams;
  while (opt.next()) {
    if (opt.is("--help", "-h")) {
      usage(stdout);
      return 0;
    } else if (opt.is("--play")) {
      if (!opt.value(play))
        return 1;
    } else if (opt.is("--runs") || opt.is("--jobs")) {
      const bool is_runs = opt.is("--runs");
      const std::string name = opt.arg();
      std::uint64_t n = 0;
      if (!opt.uint_value(n))
        return 1;
      if (n == 0)
        return opt.fail(name + " expects a positive integer, got '0'");
      (is_runs ? runs : jobs) = n;
    } else if (opt.is("--seed-base")) {
      if (!opt.uint_value(seed_base))
        return 1;
    } else if (opt.is("--delay")) {
      if (!opt.duration_value(delay))
        return 1;
      if (*delay <= 0)
        return opt.fail("--delay expects a duration greater than 0, e.g. 30m");
    } else if (opt.is("--drop")) {
      drop = true;
    } else if (opt.is("--team")) {
      std::string t;
      if (!opt.value(t))
        return 1;
      only_teams.push_back(t);
    } else if (opt.is("--rank-by")) {
      if (!opt.value(rank_by))
        return 1;
    } else if (opt.is("--json")) {
      json_out = true;
    } else if (opt.is("--svg")) {
      if (!opt.value(svg))
        return 1;
    } else if (opt.is("--quiet", "-q")) {
      quiet = true;
    } else if (opt.is_option()) {
      return opt.unknown(usage);
    } else if (!opt.positional(file, "scenario")) {
      return 1;
    }
  }
  if (file.empty()) {
    usage(stderr);
    return opt.fail("no scenario file given");
  }
  if (play.empty())
    return opt.fail("--play FILE is required: the responses whose effect is measured");
  if (!delay && !drop) {
    delay = 1800;
    drop = true;
  }

  LoadResult loaded;
  std::vector<ScriptedCommand> script;
  if (!load_for_runs("sensitivity", file, play, loaded, script))
    return 2;
  const Scenario& scenario = *loaded.scenario;
  const std::vector<std::string> names = kpi_names(scenario);
  if (std::find(names.begin(), names.end(), rank_by) == names.end()) {
    std::string list;
    for (const auto& n : names)
      list += (list.empty() ? "'" : ", '") + n + "'";
    return opt.fail("--rank-by: no KPI '" + rank_by + "' in this scenario; the KPIs are " + list);
  }
  if (script.empty())
    return opt.fail(play + ": no responses: nothing to vary");
  for (const auto& t : only_teams)
    if (std::none_of(script.begin(), script.end(), [&](const ScriptedCommand& c) { return c.who.team == t; }))
      return opt.fail("--team: no response of team '" + t + "' in " + play);
  auto varied = [&](const std::string& team) {
    return only_teams.empty() || std::find(only_teams.begin(), only_teams.end(), team) != only_teams.end();
  };

  // the variants: each response (in the play file's order), drop then delay; then each team with two or more
  // responses (a team with one has the same variant as that response), in the order of their first response
  std::vector<Variant> variants;
  auto add = [&](Variant v) {
    for (bool d : {true, false}) {
      if ((d && !drop) || (!d && !delay))
        continue;
      Variant x = v;
      x.drop = d;
      x.script = changed(script, x.responses, d, delay.value_or(0));
      variants.push_back(std::move(x));
    }
  };
  std::vector<std::string> teams;
  std::map<std::string, std::vector<std::size_t>> by_team;
  for (std::size_t i = 0; i < script.size(); ++i) {
    const std::string& team = script[i].who.team;
    if (!by_team.count(team))
      teams.push_back(team);
    by_team[team].push_back(i);
    if (!varied(team))
      continue;
    Variant v;
    v.team = team;
    v.responses = {i};
    v.label = response_label(script[i]);
    add(std::move(v));
  }
  for (const auto& team : teams)
    if (varied(team) && by_team[team].size() > 1) {
      Variant v;
      v.team_scope = true;
      v.team = team;
      v.responses = by_team[team];
      v.label = team + ": all " + std::to_string(v.responses.size()) + " responses";
      add(std::move(v));
    }

  const std::uint64_t base = seed_base.value_or(scenario.exercise.seed);
  std::string warning;
  RunSpec spec;
  spec.scenario = &scenario;
  spec.responses = true;
  spec.script = &script;
  spec.options = cli_exercise_options(&warning);
  spec.until = scenario.exercise.duration > 0 ? scenario.exercise.duration : 8 * 3600.0;
  spec.command = "sensitivity";
  if (!warning.empty())
    std::fprintf(stderr, "cyberex sensitivity: warning: %s\n", warning.c_str());
  std::vector<RunSpec> specs(variants.size() + 1, spec); // 0: the baseline
  for (std::size_t v = 0; v < variants.size(); ++v)
    specs[v + 1].script = &variants[v].script;

  const std::size_t groups = specs.size();
  const std::size_t total = groups * runs;
  if (!quiet)
    std::fprintf(stderr,
                 "cyberex sensitivity: %zu variants of %zu responses (%s%s%s) + the baseline, %" PRIu64
                 " runs each (seeds %" PRIu64 "..%" PRIu64 "): %zu runs\n",
                 variants.size(), script.size(), drop ? "dropped" : "", drop && delay ? ", " : "",
                 delay ? ("delayed " + hms(*delay)).c_str() : "", runs, base, base + runs - 1, total);
  std::fflush(stdout);
  std::fflush(stderr);
  // one pool for every run of every variant: run k is variant k / runs with seed base + k % runs
  std::vector<std::vector<RunResult>> results(groups, std::vector<RunResult>(runs));
  std::vector<ChildRun> children = run_children(
      "sensitivity", 0, total, jobs, quiet, [&](std::uint64_t k) { child_run(specs[k / runs], base + k % runs); },
      [&](ChildRun& c) {
        RunResult& r = results[c.seed / runs][c.seed % runs];
        r.out = c.out;
        return read_child_output(r);
      });
  std::size_t failed = 0;
  for (std::size_t k = 0; k < total; ++k) {
    RunResult& r = results[k / runs][k % runs];
    r.seed = base + k % runs;
    r.ok = children[k].ok;
    r.status = children[k].status;
    r.err = children[k].err;
    if (!r.ok) {
      ++failed;
      std::fprintf(stderr, "cyberex sensitivity: %s: run with seed %" PRIu64 " failed (%s): %s\n",
                   k < runs ? "baseline" : variants[k / runs - 1].label.c_str(), r.seed, r.status.c_str(),
                   excerpt(r.err).c_str());
    }
  }

  // the baseline's refused responses, as batch reports them; a variant's new ones below
  const std::vector<RunResult>& baseline = results[0];
  std::size_t base_ok = 0;
  for (const auto& r : baseline)
    base_ok += r.ok ? 1 : 0;
  const auto refused = seeds_by_message(baseline, &RunResult::rejected);
  for (const auto& [m, seeds] : refused)
    std::fprintf(stderr, "%s\ncyberex sensitivity: refused in %zu of %zu baseline runs (seeds %s)\n", m.c_str(),
                 seeds.size(), base_ok, seed_ranges(seeds).c_str());

  std::vector<Outcome> outcomes;
  for (std::size_t v = 0; v < variants.size(); ++v) {
    outcomes.push_back(compare(baseline, results[v + 1]));
    for (const auto& [m, seeds] : outcomes.back().refused)
      std::fprintf(stderr, "cyberex sensitivity: %s %s: %s, in %zu runs (seeds %s)\n",
                   variants[v].drop ? "drop" : ("delay " + hms(*delay)).c_str(), variants[v].label.c_str(), m.c_str(),
                   seeds.size(), seed_ranges(seeds).c_str());
  }

  // the ranking: largest absolute change of the ranking KPI first; variants without a pair last; ties in file order
  std::vector<std::size_t> order(variants.size());
  for (std::size_t i = 0; i < order.size(); ++i)
    order[i] = i;
  auto effect = [&](std::size_t v) -> std::optional<double> {
    const Change* c = find_change(outcomes[v], rank_by);
    if (!c || c->n == 0)
      return std::nullopt;
    return std::abs(r3(c->mean));
  };
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    const auto ea = effect(a), eb = effect(b);
    if (ea && eb)
      return *ea > *eb;
    return ea.has_value() && !eb.has_value();
  });

  const std::vector<Metric> base_columns = columns(baseline);
  ordered_json j;
  j["scenario"] = file;
  j["play"] = play;
  j["runs"] = runs;
  j["seed_base"] = base;
  j["drop"] = drop;
  j["delay_s"] = delay ? ordered_json(*delay) : ordered_json(nullptr);
  j["rank_by"] = rank_by;
  ordered_json b;
  b["succeeded"] = base_ok;
  b["kpis"] = ordered_json::array();
  for (const auto& m : base_columns) {
    const Stats s = statistics(m.values);
    ordered_json k;
    k["name"] = m.name;
    k["count"] = s.count;
    k["mean"] = s.count ? ordered_json(r3(s.mean)) : ordered_json(nullptr);
    b["kpis"].push_back(std::move(k));
  }
  j["baseline"] = std::move(b);
  j["variants"] = ordered_json::array();
  for (std::size_t r = 0; r < order.size(); ++r) {
    const std::size_t v = order[r];
    const Variant& var = variants[v];
    const Outcome& o = outcomes[v];
    ordered_json x;
    x["rank"] = r + 1;
    x["change"] = var.drop ? "drop" : "delay";
    x["scope"] = var.team_scope ? "team" : "response";
    x["team"] = var.team;
    x["label"] = var.label;
    x["responses"] = ordered_json::array();
    for (std::size_t i : var.responses) {
      ordered_json resp;
      resp["where"] = script[i].where;
      resp["at"] = script[i].when ? ordered_json(nullptr) : ordered_json(script[i].at);
      resp["command"] = json::parse(script[i].command);
      x["responses"].push_back(std::move(resp));
    }
    x["succeeded"] = o.succeeded;
    const Change* e = find_change(o, rank_by);
    Change none; // no pair of runs (every run of the variant or the baseline failed)
    none.name = rank_by;
    x["effect"] = change_json(e ? *e : none);
    x["kpis"] = ordered_json::array();
    for (const auto& c : o.changes)
      x["kpis"].push_back(change_json(c));
    x["refused"] = ordered_json::array();
    for (const auto& [m, seeds] : o.refused)
      x["refused"].push_back({{"message", m}, {"runs", seeds.size()}});
    x["per_seed"] = ordered_json::array();
    for (const auto& [seed, s] : o.per_seed) {
      ordered_json p;
      p["seed"] = seed;
      for (const auto& [key, value] : s.items())
        p[key] = value;
      x["per_seed"].push_back(std::move(p));
    }
    j["variants"].push_back(std::move(x));
  }
  const std::string json_text = j.dump(-1, ' ', false, ordered_json::error_handler_t::replace);

  if (!svg.empty()) {
    std::string text;
    try {
      text = sensitivity_tornado_svg(json_text, file);
    } catch (const ReportError& e) {
      std::fprintf(stderr, "cyberex sensitivity: %s\n", e.message.c_str());
      return 3;
    }
    if (const int rc = write_output("sensitivity", svg, text, "tornado chart"))
      return rc;
  }

  if (json_out) {
    std::printf("%s\n", json_text.c_str());
  } else {
    std::printf("%s with %s: %" PRIu64 " runs per variant (seeds %" PRIu64 "..%" PRIu64 "), %zu variants + the "
                "baseline (%zu of %" PRIu64 " baseline runs succeeded)\n",
                file.c_str(), play.c_str(), runs, base, base + runs - 1, variants.size(), base_ok, runs);
    const Stats bs = [&] {
      for (const auto& m : base_columns)
        if (m.name == rank_by)
          return statistics(m.values);
      return Stats{};
    }();
    std::printf("ranked by the change of %s (baseline mean %s): the mean of the per-seed differences (variant -\n"
                "baseline, same seeds) and its 95 %% confidence interval (Student t, n - 1 degrees of freedom)\n\n",
                rank_by.c_str(), bs.count ? fixed(bs.mean).c_str() : "never");
    std::size_t width = 8;
    for (const auto& v : variants)
      width = std::max(width, v.label.size());
    const std::string change_head = delay ? "delay " + hms(*delay) : "drop";
    std::printf("%4s  %-14s  %-*s %14s  %-28s %5s\n", "rank", "change", static_cast<int>(width), "response",
                "mean change", "95 % CI", "n");
    for (std::size_t r = 0; r < order.size(); ++r) {
      const std::size_t v = order[r];
      const Change* c = find_change(outcomes[v], rank_by);
      const std::string what = variants[v].drop ? "drop" : "delay " + hms(*delay);
      if (!c || c->n == 0) {
        std::printf("%4zu  %-14s  %-*s %14s\n", r + 1, what.c_str(), static_cast<int>(width), variants[v].label.c_str(),
                    "no pair");
        continue;
      }
      std::printf("%4zu  %-14s  %-*s %14s  %-28s %5zu\n", r + 1, what.c_str(), static_cast<int>(width),
                  variants[v].label.c_str(), signed3(c->mean).c_str(), interval(*c).c_str(), c->n);
    }
    std::printf("\nevery other KPI that changes (mean change not 0), in the ranking's order\n");
    bool any = false;
    for (std::size_t r = 0; r < order.size(); ++r) {
      const std::size_t v = order[r];
      bool head = false;
      for (const auto& c : outcomes[v].changes) {
        if (c.name == rank_by || c.n == 0 || r3(c.mean) == 0)
          continue;
        if (!head) {
          std::printf("%zu. %s %s\n", r + 1, variants[v].drop ? "drop" : ("delay " + hms(*delay)).c_str(),
                      variants[v].label.c_str());
          head = any = true;
        }
        std::printf("     %-50s %14s  %-28s %5zu\n", c.name.c_str(), signed3(c.mean).c_str(), interval(c).c_str(), c.n);
      }
    }
    if (!any)
      std::printf("(none)\n");
  }
  std::fflush(stdout);
  return failed ? 3 : 0;
}

} // namespace cyberex::cli

/* cyberex check SCENARIO: pre-STARTEX checks from a Monte Carlo batch (docs/calibration.md, "Checking a scenario
 * before STARTEX"). Each run is a child process (child_runs.hpp, as `cyberex batch`) that plays the exercise with the
 * scripted responses, if any, through play_exercise() (the one path of --play), folds its records and prints the facts
 * the checks need as one JSON line: which injects were delivered and when, how each expectation ended, each objective's
 * automatic score per team, which campaign steps were reached and succeeded, each player team's longest idle window.
 * The parent aggregates them in seed order (the same output whatever --jobs) and prints diagnostics located in the
 * scenario's JSON source, as `cyberex validate` prints its own. */
#include "child_runs.hpp"
#include "commands.hpp"
#include "options.hpp"

#include "cyberex/exercise_state.hpp"
#include "cyberex/journal.hpp"
#include "cyberex/scenario.hpp"
#include "scenario/json_source.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <map>
#include <set>
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
      out,
      "usage: cyberex check SCENARIO [--runs N] [--play FILE] [--seed S] [--jobs J] [--idle TIME] [--json] [--quiet]\n"
      "\n"
      "Pre-STARTEX checks: plays the exercise N times with seeds S, S+1, ..., S+N-1 (at most J child processes at\n"
      "once, as 'cyberex batch'), with the scripted responses of FILE if given, and prints what would make the MSEL\n"
      "fail its purpose, GCC style, located in the scenario's JSON source:\n"
      "  file:line:col: warning: [check.CODE] (json-pointer) message\n\n"
      "  check.inject-never-delivered  a triggered inject delivered in no run\n"
      "  check.inject-rare             a triggered inject delivered in fewer than 10 %% of the runs\n"
      "  check.expectation-never-active  an expectation whose inject is delivered in no run\n"
      "  check.expectation-never-met   an expectation met in no run\n"
      "  check.objective-always-passed  an objective whose automatic score is 55 or more (P or S) in every run\n"
      "  check.objective-always-failed  an objective whose automatic score is below 55 (M or U) in every run\n"
      "  check.idle-team               a player team with no inject, alert or message for longer than --idle in at\n"
      "                                least half of the runs\n"
      "  check.empty-move              a move during which no inject is delivered in any run\n"
      "  check.step-never-reached      a campaign step attempted in no run\n\n"
      "Without --play nobody responds: injects triggered by a team's action or message, expectations met by one and\n"
      "objectives that measure responses (time_to_contain, time_to_share, expectations_met, or such expectations)\n"
      "are not judged.\n\n"
      "options:\n"
      "  --runs N      number of runs (default 200)\n"
      "  --play FILE   scripted team responses, played in every run as 'cyberex play --play' plays them\n"
      "  --seed S      first seed (default: the scenario's exercise.seed)\n"
      "  --jobs J      parallel runs (default: the number of cores)\n"
      "  --idle TIME   longest quiet time a team may have, e.g. 90m (default 2h)\n"
      "  --json        print the diagnostics as one JSON object instead of lines\n"
      "  --quiet       no progress on stderr\n"
      "  --help        show this help\n\n"
      "exit status: 0 no warning, 1 warnings, 2 errors (bad options, the scenario or the play file does not load, a\n"
      "run failed)\n");
}

std::string hms(double t)
{
  const long s = std::lround(t);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%ldh%02ldm%02lds", s / 3600, (s / 60) % 60, s % 60);
  return buf;
}

std::string fixed(double v, int precision)
{
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", precision, v);
  return buf;
}

std::string quoted_list(const std::vector<std::string>& ids)
{
  std::string out;
  for (std::size_t i = 0; i < ids.size(); ++i)
    out += (i ? ", '" : "'") + ids[i] + "'";
  return out;
}

/// An objective's automatic score at or above this is rated P or S (the report's rating letters): it passes.
constexpr double PASS_SCORE = 55;

/// Metrics that measure the teams' responses: without --play nobody responds, so they say nothing.
bool response_metric(const std::string& metric)
{
  return metric == "time_to_contain" || metric == "time_to_share" || metric == "expectations_met";
}

const Expectation* find_expectation(const Scenario& sc, const std::string& id)
{
  for (const auto& i : sc.msel)
    for (const auto& e : i.expectations)
      if (e.id == id)
        return &e;
  return nullptr;
}

/// Whether a trigger can fire only after some team acts or writes (what nobody does without --play).
bool needs_responses(const Scenario& sc, const Trigger& t, int depth = 0)
{
  if (depth > 32)
    return false;
  switch (t.kind) {
  case Trigger::Kind::action:
  case Trigger::Kind::message:
    return true;
  case Trigger::Kind::expectation_met: {
    const Expectation* e = find_expectation(sc, t.subject);
    return !e || needs_responses(sc, e->met_by, depth + 1);
  }
  case Trigger::Kind::inject_delivered: {
    auto it = sc.inject_by_id.find(t.subject);
    if (it == sc.inject_by_id.end())
      return false;
    const Inject& i = sc.msel[static_cast<std::size_t>(it->second)];
    return i.trigger && needs_responses(sc, *i.trigger, depth + 1);
  }
  case Trigger::Kind::all:
    return std::any_of(t.children.begin(), t.children.end(),
                       [&](const Trigger& c) { return needs_responses(sc, c, depth + 1); });
  case Trigger::Kind::any:
    return !t.children.empty() && std::all_of(t.children.begin(), t.children.end(),
                                              [&](const Trigger& c) { return needs_responses(sc, c, depth + 1); });
  default:
    return false;
  }
}

std::vector<std::string> objective_teams(const Scenario& sc, const Objective& o)
{
  std::vector<std::string> teams;
  for (const auto& t : sc.teams)
    if (t.role == TeamRole::player && (o.teams.empty() || std::count(o.teams.begin(), o.teams.end(), t.id)))
      teams.push_back(t.id);
  return teams;
}

// ---------------------------------------------------------------------------------------------------------------
// The worker: one run's facts

/// What one run tells the checks, gathered from the records of its exercise.
class RunFacts {
public:
  explicit RunFacts(const Scenario& sc) : sc_(sc), state_(sc)
  {
    for (const auto& t : sc.teams)
      if (t.role == TeamRole::player)
        activity_[t.id];
  }

  void add(const Record& r)
  {
    state_.apply(r);
    const bool delivery = r.kind == RecordKind::delivery;
    const bool counted = (delivery && (r.type == RecordType::inject || r.type == RecordType::message)) ||
                         r.type == RecordType::alert || (r.type == RecordType::message && !delivery);
    const bool wanted = counted || r.type == RecordType::step_started || r.type == RecordType::step_succeeded ||
                        r.type == RecordType::expectation_active || r.type == RecordType::expectation_met ||
                        r.type == RecordType::expectation_missed || r.type == RecordType::expectation_not_applicable;
    if (!wanted)
      return;
    const json j = json::parse(r.json, nullptr, false);
    if (!j.is_object())
      return;
    const json none = json::object();
    const json& d = j.contains("details") && j["details"].is_object() ? j["details"] : none;
    auto str = [&](const char* key) { return d.contains(key) && d[key].is_string() ? d[key].get<std::string>() : ""; };
    if (counted) {
      if (r.audience.kind == Audience::Kind::all) {
        for (auto& [team, times] : activity_)
          times.push_back(r.time);
      } else if (r.audience.kind == Audience::Kind::teams) {
        for (const auto& team : r.audience.teams)
          if (activity_.count(team))
            activity_[team].push_back(r.time);
      }
    }
    if (delivery && r.type == RecordType::inject) {
      const std::string id = str("inject");
      if (!delivered_.contains(id))
        delivered_[id] = r.time;
    } else if (r.type == RecordType::step_started || r.type == RecordType::step_succeeded) {
      const std::string subject = j.value("subject", "");
      const std::string campaign = subject.rfind("campaign:", 0) == 0 ? subject.substr(9) : subject;
      (r.type == RecordType::step_started ? reached_ : succeeded_).insert(campaign + "/" + str("step"));
    } else if (r.type == RecordType::expectation_active || r.type == RecordType::expectation_met ||
               r.type == RecordType::expectation_missed || r.type == RecordType::expectation_not_applicable) {
      json& e = expectations_[str("inject") + "/" + str("expectation") + "/" + str("team")];
      e["inject"] = str("inject");
      e["expectation"] = str("expectation");
      e["team"] = str("team");
      e["objective"] = str("objective");
      e["status"] = str("status");
      e["points"] = d.contains("points") && d["points"].is_number() ? d["points"].get<double>() : 1.0;
    }
  }

  /// The facts as one JSON object: {"end","delivered":{inject:time},"expectations":[...],"reached":[...],
  /// "succeeded":[...],"idle":{team:[start,end]},"objectives":{objective:{team:score|null}}}.
  json to_json(double end) const
  {
    json o;
    o["end"] = end;
    o["delivered"] = json::object();
    for (const auto& [id, t] : delivered_)
      o["delivered"][id] = t;
    o["expectations"] = json::array();
    for (const auto& [key, e] : expectations_)
      o["expectations"].push_back(e);
    o["reached"] = reached_;
    o["succeeded"] = succeeded_;
    o["idle"] = json::object();
    for (const auto& [team, times] : activity_) {
      // the longest quiet window: from the start to the first activity, between two, from the last to the end
      double from = 0, longest_from = 0, longest_to = 0;
      std::vector<double> marks = times;
      marks.push_back(end);
      for (double t : marks) {
        if (t - from > longest_to - longest_from) {
          longest_from = from;
          longest_to = t;
        }
        from = std::max(from, t);
      }
      o["idle"][team] = {longest_from, longest_to};
    }
    // each objective's automatic score per team it applies to: the mean of its parts (100 x points met / points
    // decided of its expectations for the team; the score of each of its metrics that applies to the team)
    const std::vector<TeamScore> scores = state_.scores(end);
    o["objectives"] = json::object();
    for (const auto& obj : sc_.objectives) {
      json per_team = json::object();
      for (const auto& team : objective_teams(sc_, obj)) {
        std::vector<double> parts;
        double met = 0, decided = 0;
        for (const auto& [key, e] : expectations_) {
          if (e["objective"] != obj.id || e["team"] != team)
            continue;
          const std::string s = e["status"].get<std::string>();
          if (s == "met")
            met += e["points"].get<double>();
          if (s == "met" || s == "missed")
            decided += e["points"].get<double>();
        }
        if (decided > 0)
          parts.push_back(100 * met / decided);
        for (const auto& ts : scores)
          if (ts.team == team)
            for (const auto& m : ts.metric_details)
              if (m.applicable && m.score && std::count(obj.metrics.begin(), obj.metrics.end(), m.name))
                parts.push_back(*m.score);
        if (parts.empty()) {
          per_team[team] = nullptr;
          continue;
        }
        double sum = 0;
        for (double p : parts)
          sum += p;
        per_team[team] = sum / static_cast<double>(parts.size());
      }
      o["objectives"][obj.id] = std::move(per_team);
    }
    return o;
  }

private:
  const Scenario& sc_;
  ExerciseState state_;
  std::map<std::string, double> delivered_;             ///< inject -> first delivery time
  std::map<std::string, json> expectations_;            ///< "inject/expectation/team" -> last status
  std::set<std::string> reached_, succeeded_;           ///< "campaign/step"
  std::map<std::string, std::vector<double>> activity_; ///< player team -> times of its injects, alerts, messages
};

struct CheckSpec {
  const Scenario* scenario = nullptr;
  const std::vector<ScriptedCommand>* script = nullptr;
  ExerciseOptions options;
};

[[noreturn]] void child_check(const CheckSpec& spec, std::uint64_t seed)
{
  RunFacts facts(*spec.scenario);
  PlayOptions po;
  po.exercise = spec.options;
  po.exercise.simulation.seed = seed;
  po.on_record = [&](const Record& r) { facts.add(r); };
  const PlayOutcome o = play_exercise(*spec.scenario, po, *spec.script);
  if (!o.ok) {
    std::fprintf(stderr, "cyberex check: %s\n", o.error.c_str());
    std::fflush(stderr);
    ::_exit(2);
  }
  std::printf("%s\n", facts.to_json(o.time).dump(-1, ' ', false, json::error_handler_t::replace).c_str());
  std::fflush(stdout);
  std::fflush(stderr);
  ::_exit(0); // no destructors: the SimGrid engine is left to the process exit (docs/engine.md)
}

// ---------------------------------------------------------------------------------------------------------------
// The parent: diagnostics

/// Fills line and column of each diagnostic from its file and pointer (a pointer that does not exist falls back to
/// its closest existing ancestor, as the loader's diagnostics do).
void locate(std::vector<Diagnostic>& diags)
{
  std::map<std::string, std::map<std::string, json_source::Location>> wanted;
  for (const Diagnostic& d : diags) {
    auto& w = wanted[d.file];
    std::string ptr = d.pointer;
    while (true) {
      w.emplace(ptr, json_source::Location{});
      if (ptr.empty())
        break;
      ptr.resize(ptr.rfind('/'));
    }
  }
  for (auto& [file, w] : wanted) {
    std::ifstream in(file, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    const std::string text = ss.str();
    if (text.empty())
      continue;
    json_source::locate(text, w);
    std::vector<std::size_t> offsets;
    for (const auto& [ptr, loc] : w)
      offsets.push_back(loc.value);
    std::replace(offsets.begin(), offsets.end(), std::string::npos, std::size_t{0});
    const auto pos = json_source::positions(text, offsets);
    std::size_t k = 0;
    std::map<std::string, json_source::Position> at;
    for (const auto& [ptr, loc] : w) {
      if (loc.value != std::string::npos)
        at[ptr] = pos[k];
      ++k;
    }
    for (Diagnostic& d : diags) {
      if (d.file != file)
        continue;
      std::string ptr = d.pointer;
      while (true) {
        auto it = at.find(ptr);
        if (it != at.end()) {
          d.line = it->second.line;
          d.column = it->second.column;
          break;
        }
        if (ptr.empty())
          break;
        ptr.resize(ptr.rfind('/'));
      }
    }
  }
}

Diagnostic warning(const Origin& where, const std::string& suffix, const std::string& code, std::string message)
{
  Diagnostic d;
  d.severity = Diagnostic::Severity::warning;
  d.file = where.file;
  d.pointer = where.pointer + suffix;
  d.code = "check." + code;
  d.message = std::move(message);
  return d;
}

std::string of_runs(std::size_t k, std::size_t n)
{
  return std::to_string(k) + " of " + std::to_string(n) + " run" + (n == 1 ? "" : "s");
}

struct Checks {
  const Scenario& sc;
  const std::vector<json>& runs; ///< the facts of the runs that succeeded, in seed order
  const std::vector<std::uint64_t>& seeds;
  bool responses = false; ///< --play given
  double idle = 7200;
  std::vector<Diagnostic> out;

  std::size_t n() const { return runs.size(); }

  std::size_t delivered_in(const std::string& inject) const
  {
    std::size_t k = 0;
    for (const json& r : runs)
      k += r["delivered"].contains(inject) ? 1 : 0;
    return k;
  }

  /// Whether the delivery of an inject is judged: timed ones always, triggered ones unless their trigger needs
  /// responses nobody gives; contingencies (released by a missed expectation) never.
  bool judged(const Inject& i) const
  {
    if (i.trigger)
      return responses || !needs_responses(sc, *i.trigger);
    return i.time.has_value();
  }

  void injects()
  {
    for (const auto& i : sc.msel) {
      if (!i.trigger || !judged(i))
        continue;
      const std::size_t k = delivered_in(i.id);
      if (k == 0)
        out.push_back(warning(i.origin, "/trigger", "inject-never-delivered",
                              "triggered inject '" + i.id + "' is delivered in no run of " + std::to_string(n()) +
                                  ": its trigger never fires in time"));
      else if (k * 10 < n())
        out.push_back(warning(i.origin, "/trigger", "inject-rare",
                              "triggered inject '" + i.id + "' is delivered in " + of_runs(k, n()) + " (" +
                                  fixed(100.0 * static_cast<double>(k) / static_cast<double>(n()), 1) +
                                  " %), fewer than 10 %"));
    }
  }

  void expectations()
  {
    for (std::size_t ii = 0; ii < sc.msel.size(); ++ii) {
      const Inject& i = sc.msel[ii];
      for (const auto& e : i.expectations) {
        if (judged(i) && delivered_in(i.id) == 0) {
          out.push_back(warning(e.origin, "", "expectation-never-active",
                                "expectation '" + e.id + "' can never be met: its inject '" + i.id +
                                    "' is delivered in no run of " + std::to_string(n())));
          continue;
        }
        if (!responses && needs_responses(sc, e.met_by))
          continue;
        std::map<std::string, std::size_t> status; // its last status in each run where it was activated
        std::size_t active = 0;
        for (const json& r : runs)
          for (const json& x : r["expectations"])
            if (x["expectation"] == e.id && x["inject"] == i.id) {
              ++status[x["status"].get<std::string>()];
              ++active;
            }
        if (status["met"] > 0 || active == 0)
          continue;
        std::string how;
        for (const char* s : {"missed", "not_applicable", "pending"})
          if (status[s])
            how += std::string(how.empty() ? "" : ", ") + (s == std::string("not_applicable") ? "not applicable" : s) +
                   " in " + std::to_string(status[s]);
        out.push_back(warning(e.origin, "/met_by", "expectation-never-met",
                              "expectation '" + e.id + "' is met in no run of " + std::to_string(n()) + " (" + how +
                                  "): what meets it never happens within " + hms(e.within) + " of its inject"));
      }
    }
  }

  void objectives()
  {
    for (const auto& o : sc.objectives) {
      bool by_responses = std::any_of(o.metrics.begin(), o.metrics.end(), response_metric);
      for (const auto& i : sc.msel)
        for (const auto& e : i.expectations)
          if (e.objective == o.id && needs_responses(sc, e.met_by))
            by_responses = true;
      if (by_responses && !responses)
        continue;
      std::vector<std::string> passed, failed;
      double lo_p = 100, hi_p = 0, lo_f = 100, hi_f = 0;
      for (const auto& team : objective_teams(sc, o)) {
        std::size_t pass = 0, fail = 0;
        double lo = 100, hi = 0;
        for (const json& r : runs) {
          const json& s = r["objectives"][o.id][team];
          if (!s.is_number())
            continue;
          const double v = s.get<double>();
          (v >= PASS_SCORE ? pass : fail) += 1;
          lo = std::min(lo, v);
          hi = std::max(hi, v);
        }
        if (pass == n() && n() > 0) {
          passed.push_back(team);
          lo_p = std::min(lo_p, lo);
          hi_p = std::max(hi_p, hi);
        } else if (fail == n() && n() > 0) {
          failed.push_back(team);
          lo_f = std::min(lo_f, lo);
          hi_f = std::max(hi_f, hi);
        }
      }
      auto say = [&](const std::vector<std::string>& teams, bool pass, double lo, double hi) {
        if (teams.empty())
          return;
        out.push_back(warning(o.origin, "", pass ? "objective-always-passed" : "objective-always-failed",
                              "objective '" + o.id + "' " + (pass ? "passes" : "fails") + " in every run of " +
                                  std::to_string(n()) + " for team" + (teams.size() == 1 ? " " : "s ") +
                                  quoted_list(teams) + " (automatic score " + fixed(lo, 1) +
                                  (lo == hi ? "" : " to " + fixed(hi, 1)) + (pass ? ", 55 or more" : ", below 55") +
                                  "): the exercise tells nothing about it"));
      };
      say(passed, true, lo_p, hi_p);
      say(failed, false, lo_f, hi_f);
    }
  }

  void idle_teams()
  {
    for (const auto& t : sc.teams) {
      if (t.role != TeamRole::player)
        continue;
      std::size_t k = 0;
      double best = -1, from = 0, to = 0;
      std::uint64_t seed = 0;
      for (std::size_t r = 0; r < n(); ++r) {
        const json& w = runs[r]["idle"][t.id];
        const double a = w[0].get<double>(), b = w[1].get<double>();
        if (b - a > idle)
          ++k;
        if (b - a > best) {
          best = b - a;
          from = a;
          to = b;
          seed = seeds[r];
        }
      }
      if (k == 0 || 2 * k < n())
        continue;
      out.push_back(warning(t.origin, "", "idle-team",
                            "team '" + t.id + "' has no inject, alert or message for more than " + hms(idle) + " in " +
                                of_runs(k, n()) + "; the longest: " + hms(to - from) + ", from " + hms(from) + " to " +
                                hms(to) + " (seed " + std::to_string(seed) + ")"));
    }
  }

  void moves()
  {
    const auto& moves = sc.exercise.moves;
    for (std::size_t m = 0; m < moves.size(); ++m) {
      const double from = moves[m].offset;
      const double to = m + 1 < moves.size() ? moves[m + 1].offset : sc.exercise.duration;
      bool any = false;
      for (const json& r : runs)
        for (const auto& [id, t] : r["delivered"].items())
          any = any || (t.get<double>() >= from && t.get<double>() < to);
      if (any)
        continue;
      out.push_back(warning(Origin{sc.file, "/exercise/moves/" + std::to_string(m)}, "", "empty-move",
                            "move '" + moves[m].id + "' (from " + hms(from) + " to " + hms(to) +
                                ") has no inject: none is delivered in its time in any run of " + std::to_string(n())));
    }
  }

  void steps()
  {
    for (const auto& c : sc.campaigns) {
      for (const auto& s : c.steps) {
        const std::string key = c.id + "/" + s.id;
        bool reached = false;
        for (const json& r : runs)
          for (const json& x : r["reached"])
            reached = reached || x == key;
        if (reached)
          continue;
        std::vector<std::string> never;
        for (const auto& req : s.requires_.steps) {
          bool ok = false;
          for (const json& r : runs)
            for (const json& x : r["succeeded"])
              ok = ok || x == c.id + "/" + req;
          if (!ok)
            never.push_back(req);
        }
        std::string why;
        if (!never.empty())
          why = ": the step" + std::string(never.size() == 1 ? " " : "s ") + quoted_list(never) + " it requires " +
                (never.size() == 1 ? "succeeds" : "succeed") + " in no run";
        out.push_back(warning(s.origin, "", "step-never-reached",
                              "step '" + s.id + "' of campaign '" + c.id + "' is attempted in no run of " +
                                  std::to_string(n()) + why));
      }
    }
  }
};

} // namespace

int cmd_check(const Args& args)
{
  std::string file, play;
  std::optional<std::uint64_t> seed_base;
  std::uint64_t runs = 200;
  long cores = ::sysconf(_SC_NPROCESSORS_ONLN);
  std::uint64_t jobs = cores > 0 ? static_cast<std::uint64_t>(cores) : 1;
  double idle = 7200;
  bool json_out = false, quiet = false;
  Options opt("check", args);
  while (opt.next()) {
    if (opt.is("--help", "-h")) {
      usage(stdout);
      return 0;
    } else if (opt.is("--runs") || opt.is("--jobs")) {
      const bool is_runs = opt.is("--runs");
      std::uint64_t v = 0;
      if (!opt.uint_value(v))
        return 2;
      if (v == 0) {
        opt.fail(std::string(is_runs ? "--runs" : "--jobs") + " expects a positive integer, got '0'");
        return 2;
      }
      (is_runs ? runs : jobs) = v;
    } else if (opt.is("--seed")) {
      if (!opt.uint_value(seed_base))
        return 2;
    } else if (opt.is("--play")) {
      if (!opt.value(play))
        return 2;
    } else if (opt.is("--idle")) {
      if (!opt.duration_value(idle))
        return 2;
    } else if (opt.is("--json")) {
      json_out = true;
    } else if (opt.is("--quiet", "-q")) {
      quiet = true;
    } else if (opt.is_option()) {
      opt.unknown(usage);
      return 2;
    } else if (!opt.positional(file, "scenario")) {
      return 2;
    }
  }
  if (file.empty()) {
    opt.fail("no scenario file given");
    usage(stderr);
    return 2;
  }

  LoadResult loaded;
  std::vector<ScriptedCommand> script;
  if (!load_for_runs("check", file, play, loaded, script))
    return 2;
  const Scenario& scenario = *loaded.scenario;
  CheckSpec spec;
  spec.scenario = &scenario;
  spec.script = &script;
  std::string catalog_warning;
  spec.options = cli_exercise_options(&catalog_warning);
  if (!catalog_warning.empty())
    std::fprintf(stderr, "cyberex check: warning: %s\n", catalog_warning.c_str());
  const std::uint64_t base = seed_base.value_or(scenario.exercise.seed);

  std::fflush(stdout);
  std::fflush(stderr);
  std::vector<json> facts(runs);
  const std::vector<ChildRun> results = run_children(
      "check", base, runs, jobs, quiet, [&](std::uint64_t seed) { child_check(spec, seed); },
      [&](ChildRun& c) {
        json j = json::parse(c.out, nullptr, false);
        if (!j.is_object() || !j.contains("delivered"))
          return false;
        facts[c.seed - base] = std::move(j);
        return true;
      });
  std::vector<json> ok_facts;
  std::vector<std::uint64_t> ok_seeds;
  std::size_t failed = 0;
  for (std::size_t i = 0; i < results.size(); ++i) {
    if (results[i].ok) {
      ok_facts.push_back(std::move(facts[i]));
      ok_seeds.push_back(results[i].seed);
    } else {
      ++failed;
      std::fprintf(stderr, "cyberex check: run with seed %llu failed (%s): %s\n",
                   static_cast<unsigned long long>(results[i].seed), results[i].status.c_str(),
                   excerpt(results[i].err).c_str());
    }
  }

  Checks checks{scenario, ok_facts, ok_seeds, !play.empty(), idle, {}};
  if (!ok_facts.empty()) {
    checks.injects();
    checks.expectations();
    checks.objectives();
    checks.idle_teams();
    checks.moves();
    checks.steps();
  }
  std::vector<Diagnostic>& diags = checks.out;
  locate(diags);
  // in the order of the scenario's files (load order), then of the text
  std::map<std::string, std::size_t> file_order;
  for (std::size_t i = 0; i < scenario.sources.size(); ++i)
    file_order.emplace(scenario.sources[i].path, i);
  auto rank = [&](const Diagnostic& d) {
    auto it = file_order.find(d.file);
    return it == file_order.end() ? file_order.size() : it->second;
  };
  std::stable_sort(diags.begin(), diags.end(), [&](const Diagnostic& a, const Diagnostic& b) {
    if (rank(a) != rank(b))
      return rank(a) < rank(b);
    return a.line != b.line ? a.line < b.line : a.column < b.column;
  });

  const std::string seeds_text =
      std::to_string(base) + (runs > 1 ? ".." + std::to_string(base + runs - 1) : std::string());
  if (json_out) {
    json o;
    o["scenario"] = file;
    o["play"] = play.empty() ? json(nullptr) : json(play);
    o["runs"] = runs;
    o["seed_base"] = base;
    o["succeeded"] = ok_facts.size();
    o["idle"] = idle;
    o["warnings"] = diags.size();
    o["diagnostics"] = json::array();
    for (const Diagnostic& d : diags)
      o["diagnostics"].push_back({{"severity", "warning"},
                                  {"file", d.file},
                                  {"line", d.line},
                                  {"column", d.column},
                                  {"code", d.code},
                                  {"pointer", d.pointer},
                                  {"message", d.message},
                                  {"text", d.format()}});
    std::printf("%s\n", o.dump(2, ' ', false, json::error_handler_t::replace).c_str());
  } else {
    for (const Diagnostic& d : diags)
      std::printf("%s\n", d.format().c_str());
    std::printf("%s: %llu runs (seeds %s), %zu failed, %zu warning%s\n", file.c_str(),
                static_cast<unsigned long long>(runs), seeds_text.c_str(), failed, diags.size(),
                diags.size() == 1 ? "" : "s");
  }
  std::fflush(stdout);
  return failed ? 2 : diags.empty() ? 0 : 1;
}

} // namespace cyberex::cli

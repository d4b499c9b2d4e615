/* What-if branches: the journaled exercise re-run in this process (ExerciseSession::replay up to the branch time,
 * then the alternative commands, then the recorded ones that remain), measured with the same KPI fold as the
 * original's journal records. One Simulation per process: the original is never re-simulated. */
#include "report/aar.hpp"

#include "cyberex/attack_catalog.hpp"

#include <algorithm>
#include <cmath>
#include <set>
#include <sstream>

namespace cyberex {

namespace {

using report::Json;

/// One row of the comparison: a label and the value in each run (null when absent).
struct Row {
  std::string label, key;
  Json original, branch;
  int decimals;
};

std::vector<Row> rows(const Json& a, const Json& b)
{
  std::vector<Row> out;
  auto add = [&](const std::string& label, const std::string& key, int decimals) {
    out.push_back({label, key, a.value(key, Json(nullptr)), b.value(key, Json(nullptr)), decimals});
  };
  add("data exfiltrated (MB)", "data_exfiltrated_mb", 3);
  for (const auto& [camp, v] : a["exfiltrated_mb_by_campaign"].items())
    out.push_back({"  campaign " + camp + " (MB)", "exfiltrated_mb_by_campaign/" + camp, v,
                   b["exfiltrated_mb_by_campaign"].value(camp, Json(nullptr)), 3});
  add("nodes compromised, max", "nodes_compromised_max", 0);
  add("nodes compromised, at the end", "nodes_compromised_end", 0);
  add("nodes ever compromised", "nodes_ever_compromised", 0);
  add("energy not served (MWh)", "mwh_lost", 3);
  add("peak power lost (MW)", "mw_lost_max", 3);
  add("mean service availability (%)", "availability_pct", 3);
  add("service downtime (h)", "service_downtime_h", 3);
  add("true alerts", "alerts_true", 0);
  add("false alerts", "alerts_false", 0);
  add("campaigns detected", "campaigns_detected", 0);
  add("campaigns contained", "campaigns_contained", 0);
  add("injects delivered", "injects_delivered", 0);
  add("injects skipped", "injects_skipped", 0);
  add("expectations met", "expectations_met", 0);
  add("expectations missed", "expectations_missed", 0);
  add("expectations not applicable", "expectations_not_applicable", 0);
  for (const auto& [team, v] : a["team_totals"].items())
    out.push_back({"  score " + team, "team_totals/" + team, v, b["team_totals"].value(team, Json(nullptr)), 2});
  return out;
}

std::string pad(const std::string& s, std::size_t width, bool right)
{
  if (s.size() >= width)
    return s;
  return right ? std::string(width - s.size(), ' ') + s : s + std::string(width - s.size(), ' ');
}

} // namespace

ReportOutput run_whatif(const std::string& journal, const WhatIfOptions& options)
{
  report::Loaded in = report::load(journal, options.scenario, options.key);
  const JournalContents& jn = in.journal;
  // a branch re-runs the exercise on the files as they are now: with another MSEL or world it would compare two
  // different exercises
  if (!in.changes.empty()) {
    std::string what;
    for (const auto& c : in.changes)
      what += c + "\n  ";
    throw ReportError{what + "a what-if re-runs the exercise, so the scenario's files must be those " + journal +
                      " was played on: restore them, or play the changed scenario again"};
  }
  const double end = journal_time_reached(jn);
  if (!jn.end)
    in.warnings.push_back(journal + ": the journal has no end line; both runs are compared at its last time, " +
                          report::duration_text(end));
  if (options.at > end)
    throw ReportError{"--at " + report::duration_text(options.at) + " is after the end of the journal (" +
                      report::duration_text(end) + ")"};
  if (options.commands.empty())
    throw ReportError{"give at least one alternative command with --command"};

  // the alternatives, checked for shape before anything runs
  std::vector<std::pair<Principal, std::string>> alternatives;
  for (std::size_t i = 0; i < options.commands.size(); ++i) {
    const auto who = principal_from_label(options.commands[i].as);
    if (!who)
      throw ReportError{"--command " + std::to_string(i + 1) + ": (/as) expected \"controller\", \"evaluator\", " +
                        "\"observer\" or \"player:TEAM\"; got \"" + options.commands[i].as + "\""};
    alternatives.push_back({*who, options.commands[i].command});
  }
  auto replaced = [&](const JournalCommand& r) {
    if (!options.replace || r.time < options.at)
      return false;
    for (const auto& [who, cmd] : alternatives)
      if (who.role == r.who.role && who.team == r.who.team)
        return true;
    return false;
  };

  ExerciseOptions eo;
  eo.simulation.seed = jn.header.seed;
  try {
    const AttackCatalog* catalog = &AttackCatalog::shipped();
    eo.simulation.technique_tactics = [catalog](const std::string& id) { return catalog->tactics_of(id); };
  } catch (const std::exception& e) {
    throw ReportError{std::string("the ATT&CK catalog does not load: ") + e.what()};
  }
  // conditional responses (--play): the branch decides them again. Those the original issued before the branch time
  // are replayed as recorded; the recorded ones from then on are dropped, and their triggers watched from the start
  std::vector<ScriptedCommand> conditional;
  auto conditional_id = [](const JournalCommand& c) {
    const Json j = Json::parse(c.command, nullptr, false);
    return c.who.role == Role::player && j.is_object() && j.contains("id") && j["id"].is_string() &&
                   j["id"].get<std::string>().rfind("when-", 0) == 0
               ? j["id"].get<std::string>()
               : std::string();
  };
  if (!options.play.empty()) {
    const PlayResult p = load_play(options.play, in.scenario);
    if (!p.ok()) {
      std::string what;
      for (const Diagnostic& d : p.diagnostics.items())
        what += (what.empty() ? "" : "\n") + d.format();
      throw ReportError{what};
    }
    std::set<std::string> issued_before;
    for (const auto& c : jn.commands)
      if (c.time < options.at && !conditional_id(c).empty())
        issued_before.insert(conditional_id(c));
    for (ScriptedCommand& c : responses_to_commands(p.commands, in.scenario, options.play))
      if (c.when && !issued_before.count(Json::parse(c.command)["id"].get<std::string>()))
        conditional.push_back(std::move(c));
  }
  auto redecided = [&](const JournalCommand& c) {
    return !options.play.empty() && c.time >= options.at && !conditional_id(c).empty();
  };

  std::vector<Record> records;
  std::vector<std::pair<std::size_t, JournalCommand>> branch_commands; // records before it, command
  double next_progress = 0;
  ExerciseSession session(
      in.scenario, eo,
      [&](const Record& o) {
        records.push_back(o);
        // reported from the records' times: the simulation itself runs exactly as without it
        if (options.progress && o.time >= next_progress) {
          options.progress(o.time, end);
          next_progress = (std::floor(o.time / 3600) + 1) * 3600;
        }
      },
      [&](const JournalCommand& c) {
        branch_commands.push_back({records.size(), c});
      });

  ConditionalPlay responses(session, conditional);

  // 1. the recorded exercise up to the branch time, exactly
  std::vector<JournalCommand> before;
  for (const auto& c : jn.commands)
    if (c.time < options.at)
      before.push_back(c);
  std::string error;
  if (session.replay(before, &error) != before.size())
    throw ReportError{journal + ": " + error};
  for (std::size_t i = 0; i < before.size(); ++i)
    branch_commands.push_back({jn.records_before_command[i], before[i]});
  session.advance_to(options.at);
  // a conditional response due before the branch time that the original did not issue was refused there: not again
  responses.skip_due_before(options.at);

  // 2. the alternatives
  for (std::size_t i = 0; i < alternatives.size(); ++i) {
    const Reply rep = session.handle(alternatives[i].first, alternatives[i].second);
    if (!rep.ok)
      throw ReportError{"--command " + std::to_string(i + 1) + " (" + principal_label(alternatives[i].first) + " at " +
                        report::duration_text(options.at) + ") was rejected: " + rep.json};
  }

  // 3. the recorded commands from the branch time on (those the alternatives replace dropped), then the end
  std::vector<std::string> rejected;
  std::size_t kept = 0, dropped = 0;
  for (const auto& c : jn.commands) {
    if (c.time < options.at)
      continue;
    if (replaced(c) || redecided(c)) {
      ++dropped;
      continue;
    }
    if (session.state() == ClockState::ended)
      break;
    responses.run_to(c.time, false, rejected);
    const Reply rep = session.handle(c.who, c.command);
    if (rep.ok)
      ++kept;
    else
      rejected.push_back("recorded command " + std::to_string(c.index) + " (" + principal_label(c.who) + " at " +
                         report::duration_text(c.time) + "): " + rep.json);
  }
  responses.run_to(end, true, rejected);
  const std::vector<std::string> not_issued = responses.not_issued(end);
  session.advance_to(end);
  if (options.progress)
    options.progress(end, end);

  if (!options.save.empty()) {
    JournalWriter w;
    JournalHeader h = jn.header;
    h.origin = "play";
    h.format = journal_format; // a branch of a format 2 or 3 journal is written with MACs and every file's hash
    h.files = scenario_fingerprint(in.scenario);
    if (!w.create(options.save, h, true))
      throw ReportError{w.error()};
    std::stable_sort(branch_commands.begin(), branch_commands.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    std::size_t next = 0;
    std::uint64_t index = 0;
    for (std::size_t r = 0; r <= records.size(); ++r) {
      while (next < branch_commands.size() && branch_commands[next].first == r) {
        JournalCommand c = branch_commands[next++].second;
        c.index = ++index;
        w.command(c);
      }
      if (r < records.size())
        w.record(records[r]);
    }
    JournalEnd e;
    e.time = session.now();
    e.seq = records.empty() ? 0 : records.back().seq;
    e.index = index;
    e.state = to_string(session.state());
    w.end(e);
    if (!w.flush())
      throw ReportError{w.error()};
    w.close();
  }

  const Json original = report::kpis_from_records(in.scenario, jn.records, end);
  const Json branch = report::kpis_from_records(in.scenario, records, end);
  const std::vector<Row> table = rows(original, branch);

  ReportOutput out;
  out.warnings = in.warnings;
  out.warnings.insert(out.warnings.end(), rejected.begin(), rejected.end());
  for (const auto& n : not_issued)
    out.warnings.push_back(n + " (in the branch)");
  if (options.json) {
    Json j;
    j["journal"] = in.journal_name;
    j["at"] = options.at;
    j["replace"] = options.replace;
    Json alts = Json::array();
    for (const auto& [who, cmd] : alternatives) {
      Json c = Json::parse(cmd, nullptr, false);
      alts.push_back({{"as", principal_label(who)}, {"command", c.is_discarded() ? Json(cmd) : c}});
    }
    j["commands"] = std::move(alts);
    j["recorded_kept"] = kept;
    j["recorded_replaced"] = dropped;
    j["recorded_rejected"] = rejected;
    Json delta = Json::object();
    for (const auto& r : table)
      if (r.original.is_number() && r.branch.is_number())
        delta[r.key] = std::round((r.branch.get<double>() - r.original.get<double>()) * 1000) / 1000;
    j["original"] = original;
    j["whatif"] = branch;
    j["delta"] = std::move(delta);
    out.text = j.dump(2) + "\n";
    return out;
  }
  std::ostringstream o;
  o << "what-if on " << in.journal_name << " (seed " << jn.header.seed << ") at " << report::duration_text(options.at)
    << " (" << report::clock_text(in.scenario.exercise.start, options.at) << "), compared at "
    << report::duration_text(end) << "\n";
  for (const auto& [who, cmd] : alternatives)
    o << "  + " << principal_label(who) << " " << cmd << "\n";
  o << "  recorded commands from then on: " << kept << " applied, " << dropped << " replaced, " << rejected.size()
    << " rejected in the branch\n\n";
  o << pad("KPI", 36, false) << pad("original", 14, true) << pad("what-if", 14, true) << pad("delta", 14, true) << "\n";
  auto value = [](const Json& v, int d) {
    return v.is_number() ? report::fixed(v.get<double>(), d) : std::string("-");
  };
  for (const auto& r : table) {
    std::string delta = "-";
    if (r.original.is_number() && r.branch.is_number()) {
      const double d = r.branch.get<double>() - r.original.get<double>();
      delta = (d > 0 ? "+" : "") + report::fixed(d, r.decimals);
    }
    o << pad(r.label, 36, false) << pad(value(r.original, r.decimals), 14, true)
      << pad(value(r.branch, r.decimals), 14, true) << pad(delta, 14, true) << "\n";
  }
  out.text = o.str();
  return out;
}

} // namespace cyberex

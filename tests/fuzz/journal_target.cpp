/* Target "journal": the journal reader (read_journal, what recovery, `replay`, `report`, the what-if and the
 * after-action player start from), the Timeline that folds a journal into states, and the line parsers
 * (JournalHeader::from_json, JournalCommand::from_json). The input is a journal file's bytes.
 *
 * Oracles: what the reader accepts is consistent (commands numbered 1..N, records 1..M, one line number each), every
 * accepted header and command line survives to_json/from_json unchanged, and a Timeline reads what read_journal
 * reads and folds it into JSON objects for every principal. */
#include "support.hpp"
#include "targets.hpp"

#include "cyberex/journal.hpp"
#include "cyberex/report.hpp"

#include <algorithm>
#include <cmath>
#include <memory>

namespace cyberex::fuzz {
namespace {

ScratchFile* scratch = nullptr; // one per process, created by journal_initialize()

void check_command_round_trip(const JournalCommand& r)
{
  std::string error;
  auto again = JournalCommand::from_json(r.to_json(), &error);
  check(again.has_value(), "JournalCommand::from_json rejects what to_json wrote (" + error + "): " + r.to_json());
  check(again->index == r.index && again->time == r.time && again->who.role == r.who.role &&
            again->who.team == r.who.team && again->command == r.command,
        "JournalCommand to_json/from_json changed the record: " + r.to_json() + " became " + again->to_json());
}

void check_header_round_trip(const JournalHeader& h)
{
  std::string error;
  auto again = JournalHeader::from_json(h.to_json(), &error);
  check(again.has_value(), "JournalHeader::from_json rejects what to_json wrote (" + error + "): " + h.to_json());
  check(again->to_json() == h.to_json(), "JournalHeader to_json/from_json changed the header: " + h.to_json());
}

void check_lines(const std::string& text)
{
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t nl = text.find('\n', pos);
    if (nl == std::string::npos)
      nl = text.size();
    const std::string line = text.substr(pos, nl - pos);
    pos = nl + 1;
    std::string error;
    if (auto r = JournalCommand::from_json(line, &error))
      check_command_round_trip(*r);
    else
      check(!error.empty(), "JournalCommand::from_json failed without saying why");
    error.clear();
    if (auto h = JournalHeader::from_json(line, &error))
      check_header_round_trip(*h);
    else
      check(!error.empty(), "JournalHeader::from_json failed without saying why");
  }
}

/// A KPI series: finite points, times within [0, end] and never decreasing.
void check_series(const std::vector<std::pair<double, double>>& points, double end, const std::string& name)
{
  for (std::size_t i = 0; i < points.size(); ++i) {
    check(std::isfinite(points[i].first) && std::isfinite(points[i].second), "KpiHistory::" + name + ": not finite");
    check(points[i].first >= 0 && points[i].first <= end + 0.0005, "KpiHistory::" + name + ": a time out of range");
    check(i == 0 || points[i - 1].first <= points[i].first, "KpiHistory::" + name + ": times go backwards");
  }
}

/// Every read of the state folded to `end` (what the report, the what-if, the GUI's dashboard and consoles take).
void check_state(const ExerciseState& state, double end)
{
  check(is_json_object(state.kpis_json(end)), "ExerciseState::kpis_json: not one JSON object");
  check(is_json_object(state.truth_json(end)), "ExerciseState::truth_json: not one JSON object");
  check(is_json_object(state.msel_json()), "ExerciseState::msel_json: not one JSON object");
  check(is_json_object(state.leaderboard_json(end, false)) && is_json_object(state.leaderboard_json(end, true)),
        "ExerciseState::leaderboard_json: not one JSON object");
  check(is_json_object(state.last_standings_json()), "ExerciseState::last_standings_json: not one JSON object");
  check(is_json(state.scores_json(end, "", true)) && is_json(state.scores_json(end, "cert-gov", false)),
        "ExerciseState::scores_json: not JSON");
  for (const char* team : {"cert-gov", "cert-energy", "white-cell", "nobody"})
    check(is_json(state.team_json(team)) && is_json(state.assets_json(team)) && is_json(state.inbox_json(team)) &&
              is_json(state.alerts_json(team)),
          std::string("ExerciseState's views of team ") + team + ": not JSON");
  for (const char* inject : {"inj-01", "inj-06", "x"})
    check(is_json(state.inject_json(inject, true)) && is_json(state.inject_json(inject, false)),
          std::string("ExerciseState::inject_json(") + inject + "): not JSON");
  const KpiHistory h = state.series(end);
  check_series(h.availability_pct, end, "availability_pct");
  check_series(h.nodes_compromised, end, "nodes_compromised");
  check_series(h.data_exfiltrated_mb, end, "data_exfiltrated_mb");
  check_series(h.mw_lost, end, "mw_lost");
  for (const auto& [team, points] : h.scores)
    check_series(points, end, "scores " + team);
}

} // namespace

void journal_initialize()
{
  static ScratchFile file(".jsonl");
  scratch = &file;
}

int journal_run(const std::uint8_t* data, std::size_t size)
{
  if (!scratch)
    journal_initialize();
  const std::string& path = scratch->write(data, size);
  check_lines(std::string(reinterpret_cast<const char*>(data), size));

  std::string error;
  auto j = read_journal(path, &error);
  Timeline timeline;
  std::string timeline_error;
  // The Timeline folds through ExerciseState, which needs the journal's scenario: a fuzzed header names any path, so
  // every input is folded on the tutorial (a scenario whose hash differs is a warning, and the fold must cope with
  // ids it does not know). A small snapshot interval, so that state_at() folds from a snapshot as well as the start.
  TimelineOptions options;
  options.scenario = tutorial_path();
  options.snapshot_every = 3;
  const bool opened = timeline.open(path, &timeline_error, options);
  check(opened == j.has_value(), "Timeline::open and read_journal disagree: read_journal says \"" + error +
                                     "\", Timeline says \"" + timeline_error + "\"");
  if (!j) {
    check(error.rfind(path, 0) == 0, "read_journal's error does not start with the file name: " + error);
    return 0;
  }
  check_header_round_trip(j->header);
  check(j->records_before_command.size() == j->commands.size() && j->command_lines.size() == j->commands.size() &&
            j->record_lines.size() == j->records.size(),
        "read_journal: one line number per command and record");
  for (std::size_t i = 0; i < j->commands.size(); ++i) {
    check(j->commands[i].index == i + 1, "read_journal: commands must be numbered 1..N");
    check(j->records_before_command[i] <= j->records.size(), "read_journal: records_before_command past the end");
    check_command_round_trip(j->commands[i]);
  }
  for (std::size_t i = 0; i < j->records.size(); ++i) {
    check(j->records[i].seq == i + 1, "read_journal: records must be numbered 1..M");
    check(is_json_object(j->records[i].json),
          "read_journal: a record that is not one JSON object: " + j->records[i].json);
  }
  check(j->valid_bytes <= size && j->end_offset <= j->valid_bytes, "read_journal: offsets past the file");
  const double reached = journal_time_reached(*j);
  check(std::isfinite(reached) && reached >= 0, "journal_time_reached: not a time");

  const double end = timeline.duration();
  check(std::isfinite(end) && end >= 0, "Timeline::duration: not a time");
  const Principal who[] = {{Role::controller, ""},     {Role::evaluator, ""},         {Role::observer, ""},
                           {Role::player, "cert-gov"}, {Role::player, "cert-energy"}, {Role::player, "nobody"}};
  for (double t : {0.0, end / 2, end}) {
    check(is_json_object(timeline.state_at(t)), "Timeline::state_at: not one JSON object");
    for (const Principal& p : who)
      check(is_json_object(timeline.state_at(t, p)),
            std::string("Timeline::state_at for a ") + to_string(p.role) + ": not one JSON object");
  }
  check_state(timeline.fold_to(end), end);

  // The after-action report in one of its three formats (by the input's size: one report per input keeps the target
  // fast), made exactly when the journal reads and holds a record.
  ReportOptions report;
  report.scenario = options.scenario;
  report.format = size % 3 == 0 ? ReportFormat::json : size % 3 == 1 ? ReportFormat::markdown : ReportFormat::html;
  try {
    const ReportOutput out = make_report(path, report);
    check(!j->records.empty(), "make_report made a report of a journal without records");
    check(!out.text.empty(), "make_report: an empty report");
    if (report.format == ReportFormat::json)
      check(is_json_object(out.text), "make_report --format json: not one JSON object");
  } catch (const ReportError& e) {
    check(j->records.empty(), "make_report refuses a journal that reads, with records: " + e.message);
    check(e.message.rfind(path, 0) == 0, "make_report's error does not start with the file name: " + e.message);
  }
  return 0;
}

} // namespace cyberex::fuzz

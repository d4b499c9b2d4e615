/* Internals of the after-action report: the journal folded into one JSON document (the --format json output), from
 * which the HTML and Markdown renderers write the same sections. Only report sources include this. */
#pragma once

#include "cyberex/exercise.hpp"
#include "cyberex/journal.hpp"
#include "cyberex/model.hpp"
#include "cyberex/report.hpp"

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace cyberex::report {

using Json = nlohmann::ordered_json;

/// A journal and the scenario it was played on, read and checked.
struct Loaded {
  JournalContents journal;
  Scenario scenario;
  std::string journal_name;  ///< file name of the journal (no directory: the report does not depend on where it is)
  std::string scenario_path; ///< as opened
  bool hash_matches = true;  ///< every file of the scenario is the one the journal was played on
  std::vector<std::string> changes; ///< check_scenario(): one message per file that differs
  std::vector<std::string> warnings;
};

/// Read `journal` and the scenario (`scenario`, or the header's path); throws ReportError.
Loaded load(const std::string& journal, const std::string& scenario, const std::string& key = {});

/// The KPIs of a run, from its records up to `end` (see docs/after-action.md, "KPIs").
Json kpis_from_records(const Scenario& scenario, const std::vector<Record>& records, double end);

/// KPI time series (step functions: [[time, value], ...] where the value changes) and the same folded KPIs.
Json series_from_records(const Scenario& scenario, const std::vector<Record>& records, double end);

/// The whole report as data.
Json build_aar(const Loaded& in);

/// The report's ATT&CK coverage (its "attack" section): every technique of the campaigns' steps, by tactic, with its
/// status (docs/after-action.md, "ATT&CK coverage"). `team` empty: the exercise's (any true alert detects a
/// technique); else that player team's view, the one definition with only the alerts that team received.
Json attack_coverage(const Loaded& in, const std::string& team = {});

/// `layers`: the directory (relative to the page) of the Navigator layers `--format navigator` writes, which the
/// ATT&CK section links to; empty: no links.
std::string render_html(const Json& aar, const std::string& layers = {});
std::string render_markdown(const Json& aar);
/// ATT&CK Navigator 4.5 layers: the exercise's and each player team's, one per ATT&CK domain used (navigator.cpp).
std::vector<std::pair<std::string, std::string>> render_navigator(const Json& aar, const Loaded& in);
/// A layer's file name: "exercise-DOMAIN.json" (`team` empty) or "team-TEAM-DOMAIN.json".
std::string navigator_file_name(const std::string& team, const std::string& domain);
/// The files render_navigator() writes for this report, in its order.
std::vector<std::string> navigator_file_names(const Json& aar);
/// One STIX 2.1 bundle of the exercise (stix_export.cpp); what it cannot export is added to `warnings`.
std::string render_stix(const Json& aar, const Loaded& in, std::vector<std::string>& warnings);
/// The HSEEP improvement-plan matrix as CSV / as an xlsx workbook's bytes (improvement_plan.cpp).
std::string render_ip_csv(const Json& aar);
/// A CSV field per RFC 4180: quoted when it holds a comma, a quote, a CR or an LF, its quotes doubled.
std::string csv_field(const std::string& s);
std::string render_ip_xlsx(const Json& aar);

// reading records
/// A string field of a JSON object ("" when absent or not a string).
std::string str(const Json& object, const char* key);
/// A number field of a JSON object (0 when absent or not a number).
double num(const Json& object, const char* key);
/// `s` without `prefix` ("node:x" -> "x").
std::string strip(const std::string& s, const std::string& prefix);

// formatting shared by the renderers

/// Fixed precision.
std::string fixed(double v, int decimals);
/// "2h05m", "45m", "30s" (simulated duration; negative values get a "-").
std::string duration_text(double seconds);
/// The situation clock at `seconds` after the exercise start "HH:MM" (start "YYYY-MM-DDTHH:MM:SS").
std::string clock_text(const std::string& start, double seconds);

/// The story's clock (docs/after-action.md, "The situation clock"): the local date and time in the exercise's story
/// at a moment of exercise time. It runs from the exercise start; each move with a `situation_time` sets it anew at
/// the move's offset (a move can jump to the evening peak or to the next morning), and it runs on from there.
class SituationClock {
public:
  SituationClock() = default;
  /// From the scenario: `exercise.start` and the moves' offsets and situation times.
  explicit SituationClock(const Exercise& exercise);
  /// From the report's overview (its "date", "start" and "moves" with "offset" and "situation_time").
  static SituationClock from_overview(const Json& overview);
  /// "HH:MM", with the date in front ("2011-11-04 02:00") when the story is no longer on the exercise's first day.
  std::string text(double seconds) const;
  /// "YYYY-MM-DD HH:MM" ("" when the exercise has no start date).
  std::string date_time(double seconds) const;

private:
  /// Minutes since 1970-01-01 00:00 of the story at `seconds` (wall-clock arithmetic: no daylight-saving jumps).
  long long minutes(double seconds) const;
  bool known_ = false;
  long long first_day_ = 0;                           ///< the exercise start's day, days since 1970-01-01
  std::vector<std::pair<double, long long>> anchors_; ///< (exercise seconds, story minutes), by offset; [0] the start
};
/// The date `days` after the exercise start, "YYYY-MM-DD".
std::string date_after(const std::string& start, int days);
/// " (N not applicable)" for a count of expectations not applicable above 0, "" otherwise.
std::string not_applicable_text(const Json& count);
/// The overview's "scenario_changes" (check_scenario()'s messages) as one line, "; " between them.
std::string changes(const Json& overview);

} // namespace cyberex::report

/* The after-action report (HSEEP AAR/IP) of a journal, as HTML, Markdown or JSON, and what-if branches of a journaled
 * exercise. See docs/after-action.md. */
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace cyberex {

/// html/markdown/json: the report; navigator: ATT&CK Navigator layers (several files, see ReportOutput::files);
/// stix: one STIX 2.1 bundle; ip_csv/ip_xlsx: the HSEEP improvement-plan matrix (docs/interchange.md).
enum class ReportFormat { html, markdown, json, navigator, stix, ip_csv, ip_xlsx };

struct ReportOptions {
  ReportFormat format = ReportFormat::html;
  std::string scenario; ///< scenario file; empty: the path in the journal header
  std::string key;      ///< the journal's key file; empty: JOURNAL.key
  /// html: the directory, relative to the page, that holds the Navigator layers of `--format navigator`; the ATT&CK
  /// section links to them. Empty: no links.
  std::string layers;
};

/// A report or what-if that cannot be made: `message` names the file (and line) and what was expected.
struct ReportError {
  std::string message;
};

struct ReportOutput {
  std::string text; ///< the document (same journal and scenario: same bytes; xlsx: the zip's bytes)
  /// Formats that write several files (navigator): (file name without directory, contents), in order; `text` empty.
  std::vector<std::pair<std::string, std::string>> files;
  std::vector<std::string> warnings; ///< e.g. a torn last line dropped, a scenario that changed since the journal
};

/// Read a journal and its scenario and write the after-action report. Throws ReportError.
ReportOutput make_report(const std::string& journal, const ReportOptions& options);

struct Scenario;

/// ATT&CK Navigator 4.5 layers of a scenario's planned coverage (cyberex analyze --format navigator), one per ATT&CK
/// domain its campaigns' steps use, as (file name "planned-DOMAIN.json", layer). `scenario_name`: named in the
/// layers' description. Throws ReportError when the ATT&CK catalog cannot be read.
std::vector<std::pair<std::string, std::string>> planned_navigator_layers(const Scenario& scenario,
                                                                          const std::string& scenario_name);

/// An alternative command of a what-if: who sends it ("controller", "evaluator", "observer", "player:TEAM") and the
/// protocol command (JSON object text).
struct WhatIfCommand {
  std::string as;
  std::string command;
};

struct WhatIfOptions {
  double at = 0;                       ///< simulated time of the alternative commands
  std::vector<WhatIfCommand> commands; ///< applied at `at`, in order
  bool replace = false; ///< drop the recorded commands at or after `at` of the principals the alternatives name
  bool json = false;    ///< JSON instead of a table
  std::string scenario; ///< scenario file; empty: the path in the journal header
  std::string save;     ///< write the branch's journal there (empty: none)
  std::string key;      ///< the journal's key file; empty: JOURNAL.key
  /// The --play file the journal was played with (empty: none): its conditional responses are decided again in the
  /// branch (their recorded commands, ids "when-N", from `at` on are dropped and the triggers watched from the start)
  std::string play;
};

/// Re-run the journaled exercise with the alternative commands and compare its KPIs with the original's (computed
/// from the journal's records). Creates this process's one Simulation. Throws ReportError.
ReportOutput run_whatif(const std::string& journal, const WhatIfOptions& options);

} // namespace cyberex

/* MSEL spreadsheets: a scenario's injects as a table (CSV or xlsx) that planners edit in a spreadsheet or move to
 * and from other exercise platforms (OpenAEV's MSEL import, Crucible Blueprint), and back into a scenario fragment.
 * Columns, time forms and diagnostics: docs/interchange.md, "MSEL spreadsheets". */
#pragma once

#include "cyberex/diagnostic.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace cyberex::msel {

enum class SheetFormat { csv, xlsx };

/// The format a path names by its extension (".csv", ".xlsx", any case); nullopt for any other.
std::optional<SheetFormat> sheet_format(const std::string& path);

/// 1 -> "A", 26 -> "Z", 27 -> "AA": a spreadsheet's column letters.
std::string column_letters(int column);

/// A problem in a spreadsheet, located as a spreadsheet user sees it:
///   msel.xlsx:7:C: error: [msel.time] time 'D+x' is not a time: expected ...
/// Row 1-based (0: the whole file), column 1-based (0: the whole row).
struct SheetDiagnostic {
  Diagnostic::Severity severity = Diagnostic::Severity::error;
  std::string file;
  int row = 0;
  int column = 0;
  std::string code; ///< e.g. "msel.time"
  std::string message;

  std::string format() const;
};

/// What a spreadsheet may hold before it is rejected: untrusted input never costs unbounded memory or time.
struct Limits {
  std::uint64_t max_file_bytes = 64u << 20; ///< the file as stored (CSV, or the xlsx zip)
  std::uint64_t max_part_bytes = 64u << 20; ///< one unpacked part of an xlsx zip (a zip bomb stops here)
  std::size_t max_cell_chars = 32767;       ///< Excel's own limit of a cell
  std::size_t max_rows = 100000;            ///< highest row number read
  std::size_t max_columns = 16384;          ///< highest column (XFD), Excel's limit
  std::size_t max_shared_strings = 1000000; ///< entries of xl/sharedStrings.xml
};

struct ImportOptions {
  std::string scenario;     ///< scenario to check teams and moves against, and to place clock times; may be ""
  std::optional<int> start; ///< --start HH:MM as seconds after midnight: the clock time of the exercise start
  Limits limits;
};

struct ImportResult {
  std::string fragment;                     ///< the scenario fragment, JSON text ending in a newline; "" on error
  std::vector<SheetDiagnostic> diagnostics; ///< every problem found, in row order; notes list created teams
  Diagnostics scenario_diagnostics;         ///< problems of ImportOptions::scenario, when it does not load
  std::size_t injects = 0;
  bool ok() const { return !fragment.empty(); }
};

/// Read the MSEL spreadsheet at `path` (CSV or xlsx, by extension) into a scenario fragment `{"msel": [...]}`, with
/// a "teams" section for the recipients the scenario lacks.
ImportResult import_msel(const std::string& path, const ImportOptions& options = {});

struct ExportResult {
  Diagnostics diagnostics; ///< the scenario's (it must load without error) and any write failure
  std::size_t injects = 0;
  bool ok() const { return !diagnostics.has_errors(); }
};

/// Write the MSEL of the scenario at `scenario_path` (with its includes) to `out_path` (CSV or xlsx, by extension):
/// a header row, then one row per inject in scenario order. Same scenario, same bytes.
ExportResult export_msel(const std::string& scenario_path, const std::string& out_path);

/// The header row export_msel() writes.
std::vector<std::string> export_header();

} // namespace cyberex::msel

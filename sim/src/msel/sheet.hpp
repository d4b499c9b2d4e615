/* The table behind an MSEL spreadsheet, as read from CSV or xlsx and as written to them (internal to src/msel). */
#pragma once

#include "cyberex/msel.hpp"

#include <ctime>
#include <string>
#include <string_view>
#include <vector>

namespace cyberex::msel {

struct Cell {
  std::string text;    ///< UTF-8; numbers as written in the file ("1800", "0.375")
  bool number = false; ///< an xlsx numeric cell (a CSV cell never is)
};

/// rows[0] is spreadsheet row 1; a row holds its cells from column A, up to its last non-empty one.
struct Sheet {
  std::vector<std::vector<Cell>> rows;
};

/// Collects located problems of one file.
class SheetReport {
public:
  SheetReport(std::string file, std::vector<SheetDiagnostic>& out) : file_(std::move(file)), out_(out) {}
  void error(int row, int column, std::string code, std::string message)
  {
    add(Diagnostic::Severity::error, row, column, std::move(code), std::move(message));
  }
  void warning(int row, int column, std::string code, std::string message)
  {
    add(Diagnostic::Severity::warning, row, column, std::move(code), std::move(message));
  }
  void note(int row, int column, std::string code, std::string message)
  {
    add(Diagnostic::Severity::note, row, column, std::move(code), std::move(message));
  }
  bool has_errors() const { return errors_ > 0; }
  std::size_t errors() const { return errors_; }
  const std::string& file() const { return file_; }

private:
  void add(Diagnostic::Severity s, int row, int column, std::string code, std::string message)
  {
    if (s == Diagnostic::Severity::error)
      ++errors_;
    out_.push_back({s, file_, row, column, std::move(code), std::move(message)});
  }
  std::string file_;
  std::vector<SheetDiagnostic>& out_;
  std::size_t errors_ = 0;
};

/// Number of code points of valid UTF-8 `s`; nullopt when `s` is not valid UTF-8.
std::optional<std::size_t> utf8_length(std::string_view s);

/// RFC 4180 CSV: quoted fields, doubled quotes, line breaks inside quotes, CRLF or LF; a UTF-8 byte order mark is
/// skipped; the separator (',', ';' or tab) is the one most used outside quotes in the first lines.
Sheet read_csv(std::string_view bytes, const Limits& limits, SheetReport& report);
/// The first worksheet named "MSEL" (any case), else the workbook's first worksheet.
Sheet read_xlsx(std::string_view bytes, const Limits& limits, SheetReport& report);

/// CSV with ',' and CRLF (RFC 4180), every field that needs it quoted; no byte order mark.
std::string write_csv(const std::vector<std::vector<Cell>>& rows);
/// xlsx with one worksheet "MSEL": the header row bold and frozen, `widths` per column, long text wrapped;
/// `created` is the document's creation time (fixed, so that the bytes depend on the content only).
/// Returns "" or what went wrong.
std::string write_xlsx(const std::string& path, const std::vector<std::vector<Cell>>& rows,
                       const std::vector<double>& widths, const std::string& title, std::time_t created);

} // namespace cyberex::msel

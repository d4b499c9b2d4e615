/* CSV (RFC 4180) read and written for MSEL spreadsheets. */
#include "msel/sheet.hpp"

#include <array>

namespace cyberex::msel {

std::optional<std::size_t> utf8_length(std::string_view s)
{
  std::size_t n = 0;
  for (std::size_t i = 0; i < s.size(); ++n) {
    const auto c = static_cast<unsigned char>(s[i]);
    std::size_t len = 0;
    std::uint32_t cp = 0;
    if (c < 0x80) {
      len = 1;
      cp = c;
    } else if ((c & 0xE0) == 0xC0) {
      len = 2;
      cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      len = 3;
      cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      len = 4;
      cp = c & 0x07;
    } else {
      return std::nullopt;
    }
    if (i + len > s.size())
      return std::nullopt;
    for (std::size_t k = 1; k < len; ++k) {
      const auto cc = static_cast<unsigned char>(s[i + k]);
      if ((cc & 0xC0) != 0x80)
        return std::nullopt;
      cp = (cp << 6) | (cc & 0x3F);
    }
    // overlong forms, surrogates and code points past U+10FFFF are not UTF-8
    static constexpr std::array<std::uint32_t, 5> min_cp = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < min_cp[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
      return std::nullopt;
    i += len;
  }
  return n;
}

namespace {

char detect_separator(std::string_view s)
{
  std::size_t counts[3] = {0, 0, 0};
  const char seps[3] = {',', ';', '\t'};
  bool quoted = false;
  int lines = 0;
  for (std::size_t i = 0; i < s.size() && lines < 20; ++i) {
    const char c = s[i];
    if (c == '"')
      quoted = !quoted;
    else if (!quoted && c == '\n')
      ++lines;
    else if (!quoted)
      for (int k = 0; k < 3; ++k)
        if (c == seps[k])
          ++counts[k];
  }
  int best = 0;
  for (int k = 1; k < 3; ++k)
    if (counts[k] > counts[best])
      best = k;
  return seps[best];
}

std::string separator_name(char sep)
{
  return sep == '\t' ? "a tab" : std::string("'") + sep + "'";
}

} // namespace

Sheet read_csv(std::string_view s, const Limits& limits, SheetReport& report)
{
  Sheet sheet;
  if (s.substr(0, 3) == "\xEF\xBB\xBF")
    s.remove_prefix(3);
  const char sep = detect_separator(s);
  std::vector<Cell> row;
  std::string field;
  std::size_t i = 0;
  bool row_limit_reported = false;

  auto finish_field = [&]() {
    const int r = static_cast<int>(sheet.rows.size()) + 1;
    const int c = static_cast<int>(row.size()) + 1;
    const auto len = utf8_length(field);
    if (!len) {
      report.error(r, c, "msel.encoding", "the cell is not UTF-8 text: save the spreadsheet as CSV UTF-8");
      field.clear();
    } else if (*len > limits.max_cell_chars) {
      report.error(r, c, "msel.huge-cell",
                   "the cell holds more than " + std::to_string(limits.max_cell_chars) + " characters, the limit");
      field.clear();
    }
    if (row.size() < limits.max_columns)
      row.push_back({std::move(field), false});
    else if (row.size() == limits.max_columns)
      report.error(r, c, "msel.huge-row", "the row has more than " + std::to_string(limits.max_columns) + " columns");
    field.clear();
  };
  auto finish_row = [&]() -> bool {
    finish_field();
    while (!row.empty() && row.back().text.empty())
      row.pop_back();
    if (sheet.rows.size() >= limits.max_rows) {
      if (!row_limit_reported)
        report.error(static_cast<int>(sheet.rows.size()) + 1, 0, "msel.huge-sheet",
                     "the sheet has more than " + std::to_string(limits.max_rows) + " rows");
      row_limit_reported = true;
      return false;
    }
    sheet.rows.push_back(std::move(row));
    row.clear();
    return true;
  };

  while (i < s.size()) {
    if (s[i] == '"') {
      const int r = static_cast<int>(sheet.rows.size()) + 1;
      const int c = static_cast<int>(row.size()) + 1;
      ++i;
      bool closed = false;
      while (i < s.size()) {
        if (s[i] == '"') {
          if (i + 1 < s.size() && s[i + 1] == '"') {
            field += '"';
            i += 2;
            continue;
          }
          ++i;
          closed = true;
          break;
        }
        if (field.size() <= limits.max_cell_chars * 4)
          field += s[i];
        ++i;
      }
      if (!closed) {
        report.error(r, c, "msel.csv", "the quoted cell is not closed: the file ends inside it (a '\"' is missing)");
        field.clear();
        finish_row();
        return sheet;
      }
      if (i < s.size() && s[i] != sep && s[i] != '\n' && s[i] != '\r') {
        report.error(r, c, "msel.csv",
                     std::string("unexpected '") + s[i] + "' after the closing quote: expected the separator " +
                         separator_name(sep) +
                         " or the end of the line (a quote inside a quoted cell is doubled: \"\")");
        while (i < s.size() && s[i] != sep && s[i] != '\n' && s[i] != '\r')
          ++i;
      }
    } else {
      while (i < s.size() && s[i] != sep && s[i] != '\n' && s[i] != '\r') {
        if (field.size() <= limits.max_cell_chars * 4)
          field += s[i];
        ++i;
      }
    }
    if (i >= s.size())
      break;
    if (s[i] == sep) {
      finish_field();
      ++i;
      if (i == s.size()) // "a,b," at the very end: the last cell is empty
        break;
      continue;
    }
    // end of line: \r\n, \n or \r
    if (s[i] == '\r' && i + 1 < s.size() && s[i + 1] == '\n')
      ++i;
    ++i;
    if (!finish_row())
      return sheet;
  }
  if (!field.empty() || !row.empty())
    finish_row();
  return sheet;
}

std::string write_csv(const std::vector<std::vector<Cell>>& rows)
{
  std::string out;
  for (const auto& row : rows) {
    for (std::size_t c = 0; c < row.size(); ++c) {
      if (c)
        out += ',';
      const std::string& t = row[c].text;
      if (t.find_first_of(",;\"\r\n\t") == std::string::npos && (t.empty() || (t.front() != ' ' && t.back() != ' '))) {
        out += t;
        continue;
      }
      out += '"';
      for (char ch : t) {
        if (ch == '"')
          out += '"';
        out += ch;
      }
      out += '"';
    }
    out += "\r\n";
  }
  return out;
}

} // namespace cyberex::msel

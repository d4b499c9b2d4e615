/* The aligned text tables of `cyberex analyze` (the scenario analysis and the grid section). */
#pragma once

#include <algorithm>
#include <cctype>
#include <string>
#include <utility>
#include <vector>

namespace cyberex::text {

/// Columns padded to their widest cell; numbers (cells starting with a digit) aligned right.
class Table {
public:
  explicit Table(std::vector<std::string> header) : rows_{std::move(header)} {}
  void add(std::vector<std::string> row) { rows_.push_back(std::move(row)); }
  std::string render(const std::string& indent) const
  {
    std::vector<std::size_t> width;
    std::vector<bool> numeric;
    for (const auto& row : rows_)
      for (std::size_t c = 0; c < row.size(); ++c) {
        if (width.size() <= c) {
          width.push_back(0);
          numeric.push_back(true);
        }
        width[c] = std::max(width[c], display_width(row[c]));
      }
    std::vector<bool> has_number(width.size(), false);
    for (std::size_t r = 1; r < rows_.size(); ++r)
      for (std::size_t c = 0; c < rows_[r].size(); ++c) {
        const std::string& cell = rows_[r][c];
        if (cell.empty() || cell == "-")
          continue;
        bool digit = std::isdigit(static_cast<unsigned char>(cell[0])) != 0;
        numeric[c] = numeric[c] && digit;
        has_number[c] = has_number[c] || digit;
      }
    for (std::size_t c = 0; c < numeric.size(); ++c)
      numeric[c] = numeric[c] && has_number[c];
    std::string out;
    for (const auto& row : rows_) {
      std::string line = indent;
      for (std::size_t c = 0; c < row.size(); ++c) {
        std::string pad(width[c] - display_width(row[c]), ' ');
        bool last = c + 1 == row.size();
        line += numeric[c] ? pad + row[c] : row[c] + (last ? "" : pad);
        if (!last)
          line += "  ";
      }
      while (!line.empty() && line.back() == ' ')
        line.pop_back();
      out += line + "\n";
    }
    return out;
  }

private:
  static std::size_t display_width(const std::string& s)
  {
    std::size_t w = 0;
    for (char ch : s)
      w += (static_cast<unsigned char>(ch) & 0xC0) != 0x80 ? 1 : 0;
    return w;
  }
  std::vector<std::vector<std::string>> rows_;
};

} // namespace cyberex::text

/* JSON files read defensively and mapped back to line:column.
 *
 * nlohmann/json gives no positions for values, so a small scanner over the text does two jobs: before parsing it
 * rejects what must never reach the parser (oversized files, invalid UTF-8, NUL bytes, excessive nesting), and after
 * a diagnostic is found it maps JSON pointers to 1-based line:column. Columns count Unicode code points (a tab is
 * one column), so an editor positioned by characters lands on the value. */
#pragma once

#include "cyberex/diagnostic.hpp"

#include <nlohmann/json.hpp>

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cyberex::json_source {

struct Limits {
  std::size_t max_file_bytes = 64u << 20;
  int max_depth = 64;
};

struct Document {
  std::string path; ///< as shown in diagnostics
  std::string text;
  nlohmann::json root;
};

/// Reads and parses `path`. Every problem (unreadable, too large, not UTF-8, too deep, syntax, duplicate keys) is
/// added to `diags` with its position; nothing is returned when the file cannot be used.
std::optional<Document> read(const std::string& path, const Limits& limits, Diagnostics& diags);

/// Same as read() for text already in memory (`path` only names it in diagnostics).
std::optional<Document> parse(const std::string& path, std::string text, const Limits& limits, Diagnostics& diags);

struct Position {
  int line = 0;
  int column = 0;
};

/// Line and column (1-based, column in code points) of each byte offset in `text`.
std::vector<Position> positions(std::string_view text, const std::vector<std::size_t>& offsets);

/// Where a pointer's value starts and, for object members, where its key starts (npos when not found / no key).
struct Location {
  std::size_t key = std::string::npos;
  std::size_t value = std::string::npos;
};

/// Fills the locations of the pointers in `wanted` by one pass over `text`, which must be valid JSON.
void locate(std::string_view text, std::map<std::string, Location>& wanted);

/// "/a~1b" for the key "a/b": escapes one reference token of a JSON pointer.
std::string escape_token(std::string_view key);

} // namespace cyberex::json_source

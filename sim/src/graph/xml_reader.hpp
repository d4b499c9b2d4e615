/* A small, strict, non-validating XML pull reader for the subset GraphML files use: an optional XML declaration,
 * comments, processing instructions, elements with attributes, character data with the five predefined entities and
 * numeric character references, and CDATA sections. DOCTYPE declarations are rejected (no external entities, no
 * entity expansion bombs). The reader never recurses, so nesting depth is only limited by `max_depth`.
 *
 * Errors stop the reading: XML cannot be resynchronised reliably after a syntax error. */
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace cyberex::xml {

/// 1-based line and column (columns count Unicode code points, tabs count as one).
struct Position {
  int line = 0;
  int column = 0;
};

struct Attribute {
  std::string name;
  std::string value;
  std::size_t offset = 0; ///< byte offset of the attribute name
};

struct Event {
  enum class Kind { start, end, text, eof } kind = Kind::eof;
  std::string name;                  ///< start, end: element name as written (with any prefix)
  std::vector<Attribute> attributes; ///< start
  std::string text;                  ///< text: character data with references replaced
  std::size_t offset = 0;            ///< byte offset of the '<' (start, end) or of the first character (text)

  /// The value of attribute `name`, or nullptr.
  const Attribute* attribute(std::string_view name) const;
};

class Reader {
public:
  explicit Reader(std::string_view document, int max_depth = 256);

  /// Reads the next event into `ev`. Returns false on a syntax error (see error()); eof is reported once, after the
  /// root element is closed and only whitespace, comments and processing instructions follow.
  bool next(Event& ev);

  const std::string& error() const { return error_; }
  std::size_t error_offset() const { return error_offset_; }

  /// Line and column of a byte offset in the document.
  Position position(std::size_t offset) const;

private:
  bool fail(std::size_t offset, std::string message);
  bool read_markup(Event& ev);
  bool read_start_tag(Event& ev);
  bool read_end_tag(Event& ev);
  bool read_text(Event& ev);
  bool skip_comment();
  bool skip_processing_instruction();
  bool read_cdata(std::string& out);
  bool read_name(std::string& out);
  bool read_reference(std::string& out);
  bool validate_characters();
  void skip_space();

  std::string_view doc_;
  std::size_t pos_ = 0;
  int max_depth_;
  std::vector<std::string> open_; ///< names of open elements
  bool validated_ = false;
  bool root_seen_ = false;
  bool root_closed_ = false;
  bool pending_end_ = false; ///< a self-closing tag: report its end event next
  std::string pending_name_;
  std::size_t pending_offset_ = 0;
  std::vector<std::size_t> line_starts_;
  std::string error_;
  std::size_t error_offset_ = 0;
};

} // namespace cyberex::xml

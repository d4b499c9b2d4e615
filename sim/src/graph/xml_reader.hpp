/* A strict, non-validating XML pull reader over expat (Debian's libexpat, fuzzed upstream: a parser for untrusted
 * input is not ours to maintain). It reads the document as UTF-8 whatever its declaration says and reports elements
 * with their attributes, and character data with references replaced and CDATA sections included; comments and
 * processing instructions are skipped.
 *
 * Hardening: DOCTYPE declarations are rejected before any of their declarations is read (no DTD, no external
 * entities, no entity expansion bombs); parameter entities are never parsed; expat's billion-laughs protection is on
 * as a second line; elements may nest `max_depth` deep; the document is fed to expat in chunks, so its size is only
 * limited by the caller (the GraphML import stops at 64 MiB).
 *
 * Errors stop the reading: XML cannot be resynchronised reliably after a syntax error. Expat's error codes are
 * turned into messages that say what was expected, located at the offending byte (see error_offset()). */
#pragma once

#include <cstddef>
#include <deque>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

struct XML_ParserStruct; // expat's parser; <expat.h> stays in xml_reader.cpp

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
  /// byte offset of the '<' (start, end; the end of an empty element: the byte after its "/>") or of the first
  /// character (text)
  std::size_t offset = 0;

  /// The value of attribute `name`, or nullptr.
  const Attribute* attribute(std::string_view name) const;
};

class Reader {
public:
  /// `document` must outlive the reader.
  explicit Reader(std::string_view document, int max_depth = 256);
  ~Reader();
  Reader(const Reader&) = delete; // expat's callbacks hold `this`
  Reader& operator=(const Reader&) = delete;

  /// Reads the next event into `ev`. Returns false on a syntax error (see error()); eof is reported once, after the
  /// root element is closed and only whitespace, comments and processing instructions follow.
  bool next(Event& ev);

  const std::string& error() const { return error_; }
  std::size_t error_offset() const { return error_offset_; }

  /// Line and column of a byte offset in the document.
  Position position(std::size_t offset) const;

private:
  struct Callbacks; // expat's handlers, in xml_reader.cpp
  struct FreeParser {
    void operator()(XML_ParserStruct* p) const;
  };

  void fail(std::size_t offset, std::string message);
  void stop_on(std::size_t offset, std::string message); ///< from a handler: fail and abort the parse
  void flush_text();
  void explain_expat_error();

  std::string_view doc_;
  int max_depth_;
  std::unique_ptr<XML_ParserStruct, FreeParser> parser_;
  std::size_t fed_ = 0;     ///< bytes given to expat so far
  bool suspended_ = false;  ///< expat paused after an element event: resume before feeding more
  bool finished_ = false;   ///< expat has read the whole document
  bool final_fed_ = false;  ///< the last piece has been given
  std::deque<Event> queue_; ///< events read by expat, not yet returned by next()
  std::string text_;        ///< character data since the last element event
  std::size_t text_offset_ = 0;
  std::vector<std::string> open_; ///< names of open elements (for messages and the depth limit)
  bool root_seen_ = false;
  std::vector<std::size_t> line_starts_;
  std::string error_;
  std::size_t error_offset_ = 0;
};

} // namespace cyberex::xml

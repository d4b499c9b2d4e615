#include "graph/xml_reader.hpp"

#include <expat.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <optional>

namespace cyberex::xml {

namespace {

// Expat copies what it is given into its own buffer: feeding the document in pieces keeps that buffer small.
constexpr std::size_t CHUNK_BYTES = 1u << 20;

bool is_space(char c)
{
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

bool is_name_char(char ch)
{
  auto c = static_cast<unsigned char>(ch);
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == ':' ||
         c == '-' || c == '.' || c >= 0x80;
}

bool is_xml_char(std::uint32_t cp)
{
  return cp == 0x9 || cp == 0xA || cp == 0xD || (cp >= 0x20 && cp <= 0xD7FF) || (cp >= 0xE000 && cp <= 0xFFFD) ||
         (cp >= 0x10000 && cp <= 0x10FFFF);
}

std::string hex_byte(unsigned char c)
{
  char buf[8];
  std::snprintf(buf, sizeof buf, "0x%02X", c);
  return buf;
}

// Short, printable excerpt of the input for messages.
std::string excerpt(std::string_view s)
{
  std::string out;
  for (char c : s.substr(0, 20)) {
    if (static_cast<unsigned char>(c) < 0x20)
      break;
    out += c;
  }
  return out;
}

std::string read_name(std::string_view doc, std::size_t pos)
{
  std::size_t end = pos;
  while (end < doc.size() && is_name_char(doc[end]))
    ++end;
  return std::string(doc.substr(std::min(pos, doc.size()), end - std::min(pos, end)));
}

// "'x'" for a printable character, "a space", "the end of the file"...: what a message says was found.
std::string describe(std::string_view doc, std::size_t pos)
{
  if (pos >= doc.size())
    return "the end of the file";
  char c = doc[pos];
  if (c == ' ')
    return "a space";
  if (c == '\n' || c == '\r' || c == '\t')
    return "a line break or tab";
  return "'" + std::string(1, c) + "'";
}

// Why the character starting at `i` cannot be in an XML document read as UTF-8, or nothing when it is fine: expat
// only says "invalid token", the user needs to know that the file is not UTF-8 or holds a control character.
std::optional<std::string> bad_character(std::string_view doc, std::size_t i)
{
  auto c = static_cast<unsigned char>(doc[i]);
  std::uint32_t cp = 0;
  std::size_t len = 0;
  if (c < 0x80) {
    cp = c;
    len = 1;
  } else if ((c & 0xE0) == 0xC0) {
    cp = c & 0x1F;
    len = 2;
  } else if ((c & 0xF0) == 0xE0) {
    cp = c & 0x0F;
    len = 3;
  } else if ((c & 0xF8) == 0xF0) {
    cp = c & 0x07;
    len = 4;
  } else {
    return "invalid UTF-8 byte " + hex_byte(c) + " (the file must be UTF-8 text)";
  }
  if (i + len > doc.size())
    return "truncated UTF-8 sequence at the end of the file";
  for (std::size_t k = 1; k < len; ++k) {
    auto cc = static_cast<unsigned char>(doc[i + k]);
    if ((cc & 0xC0) != 0x80)
      return "invalid UTF-8 sequence starting with byte " + hex_byte(c) + " (the file must be UTF-8 text)";
    cp = (cp << 6) | (cc & 0x3F);
  }
  static constexpr std::uint32_t min_for_len[] = {0, 0, 0x80, 0x800, 0x10000};
  if (cp < min_for_len[len])
    return "overlong UTF-8 sequence starting with byte " + hex_byte(c);
  if (!is_xml_char(cp)) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "U+%04X", static_cast<unsigned>(cp));
    return std::string("character ") + buf + " is not allowed in XML";
  }
  return std::nullopt;
}

// Where a start tag's scan stopped (see scan_tag).
enum class TagState { name, between, attribute_name, before_equals, before_value, value, after_value, slash, closed };

struct TagScan {
  std::string name;                                            ///< the element's name
  std::vector<std::pair<std::size_t, std::string>> attributes; ///< offset and name of each attribute, in order
  TagState state = TagState::name;
};

// Scans the start tag whose '<' is at `begin` up to `end`. Expat has either accepted the tag (to locate its
// attributes, which expat does not do) or stopped at `end` (to say what was expected there); the scan never reads
// past `end` and never fails.
TagScan scan_tag(std::string_view doc, std::size_t begin, std::size_t end)
{
  TagScan t;
  end = std::min(end, doc.size());
  char quote = 0;
  for (std::size_t i = begin + 1; i < end; ++i) {
    char c = doc[i];
    switch (t.state) {
    case TagState::name:
      if (is_space(c))
        t.state = TagState::between;
      else if (c == '/')
        t.state = TagState::slash;
      else if (c == '>')
        t.state = TagState::closed;
      else
        t.name += c;
      break;
    case TagState::between:
    case TagState::after_value:
      if (is_space(c)) {
        t.state = TagState::between;
      } else if (c == '/') {
        t.state = TagState::slash;
      } else if (c == '>') {
        t.state = TagState::closed;
      } else {
        t.attributes.emplace_back(i, std::string(1, c));
        t.state = TagState::attribute_name;
      }
      break;
    case TagState::attribute_name:
      if (c == '=')
        t.state = TagState::before_value;
      else if (is_space(c))
        t.state = TagState::before_equals;
      else
        t.attributes.back().second += c;
      break;
    case TagState::before_equals:
      if (c == '=')
        t.state = TagState::before_value;
      else if (!is_space(c))
        return t;
      break;
    case TagState::before_value:
      if (c == '"' || c == '\'') {
        quote = c;
        t.state = TagState::value;
      } else if (!is_space(c)) {
        return t;
      }
      break;
    case TagState::value:
      if (c == quote)
        t.state = TagState::after_value;
      break;
    case TagState::slash:
      if (c != '>')
        return t;
      t.state = TagState::closed;
      break;
    case TagState::closed:
      return t;
    }
  }
  return t;
}

} // namespace

const Attribute* Event::attribute(std::string_view n) const
{
  for (const auto& a : attributes)
    if (a.name == n)
      return &a;
  return nullptr;
}

void Reader::FreeParser::operator()(XML_ParserStruct* p) const
{
  XML_ParserFree(p);
}

struct Reader::Callbacks {
  static std::size_t offset(Reader& r)
  {
    XML_Index i = XML_GetCurrentByteIndex(r.parser_.get());
    return i < 0 ? r.doc_.size() : std::min(static_cast<std::size_t>(i), r.doc_.size());
  }

  // Hands one element event to next(): the parse pauses until the queue is drained.
  static void pause(Reader& r)
  {
    XML_ParsingStatus status;
    XML_GetParsingStatus(r.parser_.get(), &status);
    if (status.parsing == XML_PARSING)
      XML_StopParser(r.parser_.get(), XML_TRUE);
  }

  static void XMLCALL start(void* user, const XML_Char* name, const XML_Char** attributes)
  {
    Reader& r = *static_cast<Reader*>(user);
    if (!r.error_.empty())
      return;
    r.flush_text();
    const std::size_t at = offset(r);
    if (static_cast<int>(r.open_.size()) >= r.max_depth_)
      return r.stop_on(at, "elements nested deeper than " + std::to_string(r.max_depth_) + " levels");
    Event ev;
    ev.kind = Event::Kind::start;
    ev.name = name;
    ev.offset = at;
    const auto bytes = static_cast<std::size_t>(std::max(0, XML_GetCurrentByteCount(r.parser_.get())));
    const TagScan scan = scan_tag(r.doc_, at, at + bytes);
    for (std::size_t i = 0; attributes[2 * i] != nullptr; ++i) {
      const bool located = i < scan.attributes.size() && scan.attributes[i].second == attributes[2 * i];
      ev.attributes.push_back(
          Attribute{attributes[2 * i], attributes[2 * i + 1], located ? scan.attributes[i].first : at});
    }
    r.queue_.push_back(std::move(ev));
    r.open_.emplace_back(name);
    r.root_seen_ = true;
    pause(r);
  }

  static void XMLCALL end(void* user, const XML_Char* name)
  {
    Reader& r = *static_cast<Reader*>(user);
    if (!r.error_.empty())
      return;
    r.flush_text();
    Event ev;
    ev.kind = Event::Kind::end;
    ev.name = name;
    ev.offset = offset(r);
    r.queue_.push_back(std::move(ev));
    if (!r.open_.empty())
      r.open_.pop_back();
    pause(r);
  }

  static void XMLCALL text(void* user, const XML_Char* s, int len)
  {
    Reader& r = *static_cast<Reader*>(user);
    if (r.text_.empty())
      r.text_offset_ = offset(r);
    r.text_.append(s, static_cast<std::size_t>(std::max(0, len)));
  }

  // Called once the DOCTYPE's name (and any external id) is read, before any declaration of its internal subset:
  // no entity of the document is ever declared, so none can be expanded or fetched.
  static void XMLCALL doctype(void* user, const XML_Char*, const XML_Char*, const XML_Char*, int)
  {
    Reader& r = *static_cast<Reader*>(user);
    const std::size_t at = offset(r);
    const std::size_t begin = r.doc_.rfind("<!DOCTYPE", at);
    r.stop_on(begin == std::string_view::npos ? at : begin, "DOCTYPE declarations are not supported in GraphML files");
  }
};

Reader::Reader(std::string_view document, int max_depth)
    : doc_(document), max_depth_(max_depth), parser_(XML_ParserCreate("UTF-8"))
{
  line_starts_.push_back(0);
  for (std::size_t i = 0; i < doc_.size(); ++i)
    if (doc_[i] == '\n')
      line_starts_.push_back(i + 1);
  if (!parser_) {
    fail(0, "out of memory while creating the XML parser");
    return;
  }
  // expat would follow a UTF-16 byte order mark, but positions here count UTF-8
  if (doc_.substr(0, 2) == "\xFF\xFE" || doc_.substr(0, 2) == "\xFE\xFF") {
    fail(0, "the file is UTF-16 text (it starts with a UTF-16 byte order mark); GraphML files must be UTF-8");
    return;
  }
  XML_Parser p = parser_.get();
  XML_SetUserData(p, this);
  XML_SetElementHandler(p, &Callbacks::start, &Callbacks::end);
  XML_SetCharacterDataHandler(p, &Callbacks::text);
  XML_SetStartDoctypeDeclHandler(p, &Callbacks::doctype);
  // Defence in depth behind the DOCTYPE rejection: no parameter entities, no external DTD, and expat's limit on
  // entity expansion (its defaults since 2.4: 100 times the input, checked from 8 MiB of output) at 1 MiB.
  XML_SetParamEntityParsing(p, XML_PARAM_ENTITY_PARSING_NEVER);
#ifdef XML_DTD
  XML_SetBillionLaughsAttackProtectionMaximumAmplification(p, 100.0f);
  XML_SetBillionLaughsAttackProtectionActivationThreshold(p, 1u << 20);
#endif
}

Reader::~Reader() = default;

Position Reader::position(std::size_t offset) const
{
  offset = std::min(offset, doc_.size());
  auto it = std::upper_bound(line_starts_.begin(), line_starts_.end(), offset);
  std::size_t line_index = static_cast<std::size_t>(it - line_starts_.begin()) - 1;
  int column = 1;
  for (std::size_t i = line_starts_[line_index]; i < offset; ++i)
    if ((static_cast<unsigned char>(doc_[i]) & 0xC0) != 0x80)
      ++column;
  return {static_cast<int>(line_index) + 1, column};
}

void Reader::fail(std::size_t offset, std::string message)
{
  if (error_.empty()) {
    error_ = std::move(message);
    error_offset_ = offset;
  }
}

void Reader::stop_on(std::size_t offset, std::string message)
{
  fail(offset, std::move(message));
  XML_StopParser(parser_.get(), XML_FALSE);
}

void Reader::flush_text()
{
  if (text_.empty())
    return;
  Event ev;
  ev.kind = Event::Kind::text;
  ev.text = std::move(text_);
  ev.offset = text_offset_;
  queue_.push_back(std::move(ev));
  text_.clear();
}

void Reader::explain_expat_error()
{
  XML_Parser p = parser_.get();
  const XML_Error code = XML_GetErrorCode(p);
  const XML_Index index = XML_GetCurrentByteIndex(p);
  const std::size_t at = index < 0 ? doc_.size() : std::min(static_cast<std::size_t>(index), doc_.size());
  const std::string_view rest = doc_.substr(at);
  const std::string found = describe(doc_, at);
  // "&name;" at a reference, for messages (an unterminated one is cut short)
  auto reference = [&](std::size_t amp) {
    std::size_t semi = doc_.find(';', amp);
    if (semi == std::string_view::npos || semi - amp > 40)
      return excerpt(doc_.substr(amp, 12));
    return std::string(doc_.substr(amp, semi - amp + 1));
  };
  const std::string bad_amp = "'&' must start an entity reference such as &amp; (write '&amp;' for a literal '&')";

  switch (code) {
  case XML_ERROR_NO_MEMORY:
    return fail(at, "out of memory while reading the XML");
  case XML_ERROR_NO_ELEMENTS:
    if (!open_.empty())
      return fail(at, "unexpected end of file: element <" + open_.back() + "> is not closed");
    return fail(at, "no root element: the file is empty or has no XML element");
  case XML_ERROR_PARTIAL_CHAR: {
    // expat may point at the start of the token: the incomplete sequence is the file's last bytes
    std::size_t lead = doc_.empty() ? 0 : doc_.size() - 1;
    while (lead > 0 && (static_cast<unsigned char>(doc_[lead]) & 0xC0) == 0x80)
      --lead;
    return fail(lead, "truncated UTF-8 sequence at the end of the file");
  }
  case XML_ERROR_TAG_MISMATCH: {
    // expat points at the end tag's name
    const std::size_t lt = at >= 2 && doc_.substr(at - 2, 2) == "</" ? at - 2 : at;
    return fail(lt, "end tag </" + read_name(doc_, lt + 2) + "> does not match the open element <" +
                        (open_.empty() ? std::string("?") : open_.back()) + ">");
  }
  case XML_ERROR_DUPLICATE_ATTRIBUTE: {
    const std::size_t lt = doc_.rfind('<', at);
    return fail(at, "duplicate attribute '" + read_name(doc_, at) + "' in the tag <" +
                        (lt == std::string_view::npos ? std::string("?") : read_name(doc_, lt + 1)) + ">");
  }
  case XML_ERROR_JUNK_AFTER_DOC_ELEMENT:
    return fail(at, "content after the end of the root element");
  case XML_ERROR_UNDEFINED_ENTITY: {
    // in text expat points at the reference, in an attribute value at the tag: the first unknown one is the culprit
    std::size_t amp = doc_.find('&', at);
    for (; amp != std::string_view::npos; amp = doc_.find('&', amp + 1)) {
      const std::string ref = reference(amp);
      if (ref != "&amp;" && ref != "&lt;" && ref != "&gt;" && ref != "&quot;" && ref != "&apos;" &&
          ref.substr(0, 2) != "&#")
        break;
    }
    if (amp == std::string_view::npos)
      amp = at;
    return fail(amp, "unknown entity '" + reference(amp) +
                         "' (only &amp; &lt; &gt; &quot; &apos; and numeric references are supported)");
  }
  case XML_ERROR_BAD_CHAR_REF: {
    std::size_t amp = doc_.find("&#", at);
    if (amp == std::string_view::npos)
      amp = at;
    return fail(amp, "character reference '" + reference(amp) + "' is not an allowed XML character");
  }
  case XML_ERROR_MISPLACED_XML_PI:
    return fail(at, "the XML declaration '<?xml ...?>' is only allowed at the very start of the file");
  case XML_ERROR_XML_DECL:
    return fail(at, "malformed XML declaration: expected <?xml version=\"1.0\" ...?>");
  case XML_ERROR_UNCLOSED_CDATA_SECTION: {
    const std::size_t begin = doc_.rfind("<![CDATA[", at);
    return fail(begin == std::string_view::npos ? at : begin, "unterminated CDATA section: '<![CDATA[' without ']]>'");
  }
  case XML_ERROR_UNCLOSED_TOKEN:
    // expat points at the start of the token the file ends in
    if (rest.substr(0, 4) == "<!--")
      return fail(at, "unterminated comment: '<!--' without '-->'");
    if (rest.substr(0, 9) == "<!DOCTYPE")
      return fail(at, "DOCTYPE declarations are not supported in GraphML files");
    if (rest.substr(0, 9) == "<![CDATA[")
      return fail(at, "unterminated CDATA section: '<![CDATA[' without ']]>'");
    if (rest.substr(0, 2) == "<?")
      return fail(at, "unterminated processing instruction: '<?' without '?>'");
    if (rest.substr(0, 2) == "</")
      return fail(at, "unexpected end of file inside the end tag </" + read_name(doc_, at + 2) + ">");
    if (rest.substr(0, 1) == "&")
      return fail(at, bad_amp);
    if (rest.substr(0, 1) == "<") {
      const TagScan tag = scan_tag(doc_, at, doc_.size());
      if (tag.state == TagState::value)
        return fail(tag.attributes.back().first,
                    "unterminated value of the attribute '" + tag.attributes.back().second + "'");
      if (tag.name.empty())
        return fail(at, "unexpected end of file after '<'");
      return fail(at, "unexpected end of file inside the tag <" + tag.name + ">");
    }
    return fail(at, "unexpected end of file");
  case XML_ERROR_INVALID_TOKEN:
  case XML_ERROR_SYNTAX:
    break;
  default:
    return fail(at, std::string("malformed XML: ") + XML_ErrorString(code));
  }

  // Invalid token or syntax error: say what is wrong with the character expat stopped at, in its context.
  if (at >= doc_.size())
    return fail(at, "unexpected end of file");
  if (auto why = bad_character(doc_, at))
    return fail(at, *why);
  if (at >= 2 && doc_.substr(at - 2, 3) == "]]>")
    return fail(at - 2, "']]>' is not allowed in text");
  // inside a reference: expat points past the '&'
  std::size_t b = at;
  while (b > 0 && at - b < 40 && (is_name_char(doc_[b - 1]) || doc_[b - 1] == '#'))
    --b;
  if (b > 0 && doc_[b - 1] == '&') {
    if (doc_[b] == '#')
      return fail(b - 1, "bad character reference '" + reference(b - 1) + "'");
    return fail(b - 1, bad_amp);
  }
  if (rest.substr(0, 9) == "<!DOCTYPE")
    return fail(at, "DOCTYPE declarations are not supported in GraphML files");
  // in a start tag: what was expected where expat stopped
  const std::size_t lt = at == 0 ? std::string_view::npos : doc_.rfind('<', at - 1);
  if (lt != std::string_view::npos && doc_.substr(lt, 2) != "</" && doc_.substr(lt, 2) != "<!" &&
      doc_.substr(lt, 2) != "<?") {
    const TagScan tag = scan_tag(doc_, lt, at);
    const std::string attribute = tag.attributes.empty() ? std::string() : tag.attributes.back().second;
    switch (tag.state) {
    case TagState::name:
      if (tag.name.empty())
        return fail(at, "expected an element name after '<', found " + found);
      break;
    case TagState::between:
      return fail(at, "expected an attribute name, '>' or '/>' in the tag <" + tag.name + ">, found " + found);
    case TagState::after_value:
      if (is_name_char(doc_[at]))
        return fail(at, "expected whitespace before the attribute in the tag <" + tag.name + ">");
      return fail(at, "expected whitespace, '>' or '/>' in the tag <" + tag.name + ">, found " + found);
    case TagState::attribute_name:
    case TagState::before_equals:
      return fail(at, "expected '=' after the attribute name '" + attribute + "', found " + found);
    case TagState::before_value:
      return fail(at, "expected a quoted value for the attribute '" + attribute + "', found " + found);
    case TagState::value:
      if (doc_[at] == '<')
        return fail(at, "'<' is not allowed in the value of the attribute '" + attribute + "' (write '&lt;')");
      break;
    case TagState::slash:
      return fail(at, "expected '>' after '/' in the tag <" + tag.name + ">, found " + found);
    case TagState::closed:
      break;
    }
  }
  const bool after_lt = at > 0 && doc_[at - 1] == '<';
  if (!root_seen_) {
    if (rest.substr(0, 9) == "<![CDATA[")
      return fail(at, "CDATA section outside the root element");
    // expat stops at the end of a word of text, or at its start
    std::size_t word = at;
    while (word > 0 && is_name_char(doc_[word - 1]))
      --word;
    if (doc_[word] != '<' && doc_[word] != '/' && !(word > 0 && doc_[word - 1] == '<'))
      return fail(word, "text before the root element: expected '<'");
  }
  if (root_seen_ && open_.empty())
    return fail(after_lt ? at - 1 : at, "content after the end of the root element");
  if (doc_[at] == '/' && after_lt && open_.empty())
    return fail(at - 1, "end tag </" + read_name(doc_, at + 1) + "> without a matching start tag");
  if (at >= 2 && doc_.substr(at - 2, 2) == "<!")
    return fail(at - 2, "unsupported markup '" + excerpt(doc_.substr(at - 2, 9)) + "'");
  return fail(at, "not well-formed XML: unexpected " + found);
}

bool Reader::next(Event& ev)
{
  if (!error_.empty())
    return false;
  while (queue_.empty()) {
    if (finished_) {
      ev = Event{};
      ev.kind = Event::Kind::eof;
      ev.offset = doc_.size();
      return true;
    }
    XML_Status status;
    if (suspended_) {
      status = XML_ResumeParser(parser_.get());
    } else {
      const std::size_t n = std::min(CHUNK_BYTES, doc_.size() - fed_);
      const bool last = fed_ + n == doc_.size();
      status =
          XML_Parse(parser_.get(), n == 0 ? "" : doc_.data() + fed_, static_cast<int>(n), last ? XML_TRUE : XML_FALSE);
      fed_ += n;
      final_fed_ = last;
    }
    if (status == XML_STATUS_ERROR) {
      if (error_.empty())
        explain_expat_error();
      queue_.clear();
      return false;
    }
    suspended_ = status == XML_STATUS_SUSPENDED;
    finished_ = !suspended_ && final_fed_;
  }
  ev = std::move(queue_.front());
  queue_.pop_front();
  return true;
}

} // namespace cyberex::xml

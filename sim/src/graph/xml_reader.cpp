#include "graph/xml_reader.hpp"

#include <algorithm>
#include <cstdint>
#include <cstdio>

namespace cyberex::xml {

namespace {

bool is_space(char c)
{
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

bool is_name_start(unsigned char c)
{
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':' || c >= 0x80;
}

bool is_name_char(unsigned char c)
{
  return is_name_start(c) || (c >= '0' && c <= '9') || c == '-' || c == '.';
}

void append_utf8(std::string& out, std::uint32_t cp)
{
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
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

} // namespace

const Attribute* Event::attribute(std::string_view n) const
{
  for (const auto& a : attributes)
    if (a.name == n)
      return &a;
  return nullptr;
}

Reader::Reader(std::string_view document, int max_depth) : doc_(document), max_depth_(max_depth)
{
  line_starts_.push_back(0);
  for (std::size_t i = 0; i < doc_.size(); ++i)
    if (doc_[i] == '\n')
      line_starts_.push_back(i + 1);
  // A UTF-8 byte order mark is allowed before the document.
  if (doc_.substr(0, 3) == "\xEF\xBB\xBF")
    pos_ = 3;
}

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

bool Reader::fail(std::size_t offset, std::string message)
{
  if (error_.empty()) {
    error_ = std::move(message);
    error_offset_ = offset;
  }
  return false;
}

bool Reader::validate_characters()
{
  std::size_t i = 0;
  while (i < doc_.size()) {
    auto c = static_cast<unsigned char>(doc_[i]);
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
      return fail(i, "invalid UTF-8 byte " + hex_byte(c) + " (the file must be UTF-8 text)");
    }
    if (i + len > doc_.size())
      return fail(i, "truncated UTF-8 sequence at the end of the file");
    for (std::size_t k = 1; k < len; ++k) {
      auto cc = static_cast<unsigned char>(doc_[i + k]);
      if ((cc & 0xC0) != 0x80)
        return fail(i, "invalid UTF-8 sequence starting with byte " + hex_byte(c) + " (the file must be UTF-8 text)");
      cp = (cp << 6) | (cc & 0x3F);
    }
    static constexpr std::uint32_t min_for_len[] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < min_for_len[len])
      return fail(i, "overlong UTF-8 sequence starting with byte " + hex_byte(c));
    if (!is_xml_char(cp)) {
      char buf[32];
      std::snprintf(buf, sizeof buf, "U+%04X", static_cast<unsigned>(cp));
      return fail(i, std::string("character ") + buf + " is not allowed in XML");
    }
    i += len;
  }
  return true;
}

void Reader::skip_space()
{
  while (pos_ < doc_.size() && is_space(doc_[pos_]))
    ++pos_;
}

bool Reader::read_name(std::string& out)
{
  std::size_t start = pos_;
  if (pos_ >= doc_.size())
    return fail(pos_, "unexpected end of file, expected a name");
  if (!is_name_start(static_cast<unsigned char>(doc_[pos_])))
    return fail(pos_, "expected a name, found '" + excerpt(doc_.substr(pos_, 1)) + "'");
  while (pos_ < doc_.size() && is_name_char(static_cast<unsigned char>(doc_[pos_])))
    ++pos_;
  out.assign(doc_.substr(start, pos_ - start));
  return true;
}

bool Reader::read_reference(std::string& out)
{
  std::size_t start = pos_; // at '&'
  std::size_t semi = doc_.find(';', pos_);
  if (semi == std::string_view::npos || semi - pos_ > 12)
    return fail(start, "'&' must start an entity reference such as &amp; (write '&amp;' for a literal '&')");
  std::string_view name = doc_.substr(pos_ + 1, semi - pos_ - 1);
  pos_ = semi + 1;
  if (name == "amp")
    out += '&';
  else if (name == "lt")
    out += '<';
  else if (name == "gt")
    out += '>';
  else if (name == "quot")
    out += '"';
  else if (name == "apos")
    out += '\'';
  else if (!name.empty() && name[0] == '#') {
    std::uint32_t cp = 0;
    bool hex = name.size() > 1 && name[1] == 'x';
    std::string_view digits = name.substr(hex ? 2 : 1);
    if (digits.empty())
      return fail(start, "empty character reference '&" + std::string(name) + ";'");
    for (char c : digits) {
      int v = -1;
      if (c >= '0' && c <= '9')
        v = c - '0';
      else if (hex && c >= 'a' && c <= 'f')
        v = c - 'a' + 10;
      else if (hex && c >= 'A' && c <= 'F')
        v = c - 'A' + 10;
      if (v < 0)
        return fail(start, "bad character reference '&" + std::string(name) + ";'");
      cp = cp * (hex ? 16 : 10) + static_cast<std::uint32_t>(v);
      if (cp > 0x10FFFF)
        return fail(start, "character reference '&" + std::string(name) + ";' is out of range");
    }
    if (!is_xml_char(cp))
      return fail(start, "character reference '&" + std::string(name) + ";' is not an allowed XML character");
    append_utf8(out, cp);
  } else {
    return fail(start, "unknown entity '&" + std::string(name) +
                           ";' (only &amp; &lt; &gt; &quot; &apos; and numeric references are supported)");
  }
  return true;
}

bool Reader::skip_comment()
{
  std::size_t start = pos_;
  std::size_t end = doc_.find("-->", pos_ + 4);
  if (end == std::string_view::npos)
    return fail(start, "unterminated comment: '<!--' without '-->'");
  pos_ = end + 3;
  return true;
}

bool Reader::skip_processing_instruction()
{
  std::size_t start = pos_;
  std::size_t end = doc_.find("?>", pos_ + 2);
  if (end == std::string_view::npos)
    return fail(start, "unterminated processing instruction: '<?' without '?>'");
  pos_ = end + 2;
  return true;
}

bool Reader::read_cdata(std::string& out)
{
  std::size_t start = pos_;
  std::size_t end = doc_.find("]]>", pos_ + 9);
  if (end == std::string_view::npos)
    return fail(start, "unterminated CDATA section: '<![CDATA[' without ']]>'");
  out.append(doc_.substr(pos_ + 9, end - pos_ - 9));
  pos_ = end + 3;
  return true;
}

bool Reader::read_start_tag(Event& ev)
{
  ev = Event{};
  ev.kind = Event::Kind::start;
  ev.offset = pos_;
  if (root_closed_)
    return fail(pos_, "content after the end of the root element");
  ++pos_; // '<'
  if (!read_name(ev.name))
    return false;
  for (;;) {
    std::size_t before = pos_;
    skip_space();
    if (pos_ >= doc_.size())
      return fail(ev.offset, "unexpected end of file inside the tag <" + ev.name + ">");
    char c = doc_[pos_];
    if (c == '>' || c == '/') {
      if (c == '/') {
        if (pos_ + 1 >= doc_.size() || doc_[pos_ + 1] != '>')
          return fail(pos_, "expected '/>' or '>' in the tag <" + ev.name + ">");
        pending_end_ = true;
        pending_name_ = ev.name;
        pending_offset_ = pos_;
        pos_ += 2;
      } else {
        ++pos_;
        if (static_cast<int>(open_.size()) >= max_depth_)
          return fail(ev.offset, "elements nested deeper than " + std::to_string(max_depth_) + " levels");
        open_.push_back(ev.name);
      }
      root_seen_ = true;
      return true;
    }
    if (pos_ == before)
      return fail(pos_, "expected whitespace before the attribute in the tag <" + ev.name + ">");
    Attribute a;
    a.offset = pos_;
    if (!read_name(a.name))
      return false;
    skip_space();
    if (pos_ >= doc_.size() || doc_[pos_] != '=')
      return fail(pos_, "expected '=' after the attribute name '" + a.name + "'");
    ++pos_;
    skip_space();
    if (pos_ >= doc_.size() || (doc_[pos_] != '"' && doc_[pos_] != '\''))
      return fail(pos_, "expected a quoted value for the attribute '" + a.name + "'");
    char quote = doc_[pos_++];
    for (;;) {
      if (pos_ >= doc_.size())
        return fail(a.offset, "unterminated value of the attribute '" + a.name + "'");
      char v = doc_[pos_];
      if (v == quote) {
        ++pos_;
        break;
      }
      if (v == '<')
        return fail(pos_, "'<' is not allowed in the value of the attribute '" + a.name + "'");
      if (v == '&') {
        if (!read_reference(a.value))
          return false;
        continue;
      }
      // Attribute-value normalisation: whitespace characters become spaces.
      a.value += is_space(v) ? ' ' : v;
      ++pos_;
    }
    if (ev.attribute(a.name) != nullptr)
      return fail(a.offset, "duplicate attribute '" + a.name + "' in the tag <" + ev.name + ">");
    ev.attributes.push_back(std::move(a));
  }
}

bool Reader::read_end_tag(Event& ev)
{
  ev = Event{};
  ev.kind = Event::Kind::end;
  ev.offset = pos_;
  pos_ += 2; // '</'
  if (!read_name(ev.name))
    return false;
  skip_space();
  if (pos_ >= doc_.size() || doc_[pos_] != '>')
    return fail(pos_, "expected '>' to close the end tag </" + ev.name + ">");
  ++pos_;
  if (open_.empty())
    return fail(ev.offset, "end tag </" + ev.name + "> without a matching start tag");
  if (open_.back() != ev.name)
    return fail(ev.offset, "end tag </" + ev.name + "> does not match the open element <" + open_.back() + ">");
  open_.pop_back();
  if (open_.empty())
    root_closed_ = true;
  return true;
}

bool Reader::read_text(Event& ev)
{
  ev = Event{};
  ev.kind = Event::Kind::text;
  ev.offset = pos_;
  while (pos_ < doc_.size()) {
    char c = doc_[pos_];
    if (c == '<') {
      if (doc_.substr(pos_, 9) == "<![CDATA[") {
        if (open_.empty())
          return fail(pos_, "CDATA section outside the root element");
        if (!read_cdata(ev.text))
          return false;
        continue;
      }
      break;
    }
    if (c == '&') {
      if (open_.empty())
        return fail(pos_, "text outside the root element");
      if (!read_reference(ev.text))
        return false;
      continue;
    }
    if (c == '>' && pos_ >= 2 && doc_.substr(pos_ - 2, 3) == "]]>")
      return fail(pos_ - 2, "']]>' is not allowed in text");
    if (open_.empty() && !is_space(c))
      return fail(pos_, root_closed_ ? "content after the end of the root element"
                                     : "text before the root element: expected '<'");
    ev.text += c;
    ++pos_;
  }
  return true;
}

bool Reader::read_markup(Event& ev)
{
  std::string_view rest = doc_.substr(pos_);
  if (rest.substr(0, 4) == "<!--")
    return skip_comment();
  if (rest.substr(0, 2) == "<?")
    return skip_processing_instruction();
  if (rest.substr(0, 9) == "<!DOCTYPE")
    return fail(pos_, "DOCTYPE declarations are not supported in GraphML files");
  if (rest.substr(0, 2) == "</")
    return read_end_tag(ev);
  if (rest.substr(0, 2) == "<!")
    return fail(pos_, "unsupported markup '" + excerpt(rest.substr(0, 9)) + "'");
  return read_start_tag(ev);
}

bool Reader::next(Event& ev)
{
  if (!error_.empty())
    return false;
  if (!validated_) {
    validated_ = true;
    if (!validate_characters())
      return false;
  }
  if (pending_end_) {
    pending_end_ = false;
    ev = Event{};
    ev.kind = Event::Kind::end;
    ev.name = pending_name_;
    ev.offset = pending_offset_;
    if (open_.empty())
      root_closed_ = true;
    return true;
  }
  for (;;) {
    if (pos_ >= doc_.size()) {
      if (!open_.empty())
        return fail(doc_.size(), "unexpected end of file: element <" + open_.back() + "> is not closed");
      if (!root_seen_)
        return fail(doc_.size(), "no root element: the file is empty or has no XML element");
      ev = Event{};
      ev.kind = Event::Kind::eof;
      ev.offset = doc_.size();
      return true;
    }
    if (doc_[pos_] == '<' && doc_.substr(pos_, 9) != "<![CDATA[") {
      std::size_t before = pos_;
      if (!read_markup(ev))
        return false;
      if (pos_ != before && (doc_.substr(before, 2) == "<?" || doc_.substr(before, 4) == "<!--"))
        continue; // comment or processing instruction: nothing to report
      return true;
    }
    if (!read_text(ev))
      return false;
    if (!open_.empty())
      return true;
    // whitespace outside the root element: nothing to report
  }
}

} // namespace cyberex::xml

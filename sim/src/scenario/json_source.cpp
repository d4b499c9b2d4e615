#include "json_source.hpp"

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <system_error>

namespace cyberex::json_source {
namespace {

constexpr std::size_t npos = std::string::npos;

Diagnostic located(const std::string& path, std::string_view text, std::size_t offset, std::string code,
                   std::string message)
{
  Diagnostic d;
  d.file = path;
  const Position p = positions(text, {offset}).front();
  d.line = p.line;
  d.column = p.column;
  d.code = std::move(code);
  d.message = std::move(message);
  return d;
}

std::string hex_byte(unsigned char c)
{
  char buf[8];
  std::snprintf(buf, sizeof buf, "0x%02x", c);
  return buf;
}

/// Length of the valid UTF-8 sequence at text[i], or 0 when it is not valid (overlong, surrogate, > U+10FFFF).
std::size_t utf8_length(std::string_view text, std::size_t i)
{
  const auto b = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
  const unsigned char c = b(i);
  if (c < 0x80)
    return 1;
  std::size_t n = 0;
  unsigned char lo = 0x80;
  unsigned char hi = 0xBF;
  if (c >= 0xC2 && c <= 0xDF)
    n = 2;
  else if (c >= 0xE0 && c <= 0xEF) {
    n = 3;
    if (c == 0xE0)
      lo = 0xA0;
    if (c == 0xED)
      hi = 0x9F;
  } else if (c >= 0xF0 && c <= 0xF4) {
    n = 4;
    if (c == 0xF0)
      lo = 0x90;
    if (c == 0xF4)
      hi = 0x8F;
  } else
    return 0;
  if (i + n > text.size())
    return 0;
  if (b(i + 1) < lo || b(i + 1) > hi)
    return 0;
  for (std::size_t k = 2; k < n; ++k)
    if (b(i + k) < 0x80 || b(i + k) > 0xBF)
      return 0;
  return n;
}

/// What must be refused before nlohmann/json sees the text: bad encoding, NUL bytes, nesting beyond the limit.
bool precheck(const std::string& path, std::string_view text, const Limits& limits, Diagnostics& diags)
{
  bool in_string = false;
  bool escaped = false;
  int depth = 0;
  for (std::size_t i = 0; i < text.size();) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c == 0) {
      diags.add(located(path, text, i, "json.encoding",
                        "NUL byte in the file; a scenario is UTF-8 JSON text, not binary data"));
      return false;
    }
    if (c >= 0x80) {
      const std::size_t n = utf8_length(text, i);
      if (n == 0) {
        diags.add(located(path, text, i, "json.encoding",
                          "invalid UTF-8 (byte " + hex_byte(c) + "); a scenario is UTF-8 JSON text"));
        return false;
      }
      i += n;
      escaped = false;
      continue;
    }
    if (in_string) {
      if (escaped)
        escaped = false;
      else if (c == '\\')
        escaped = true;
      else if (c == '"')
        in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > limits.max_depth) {
        diags.add(located(path, text, i, "json.too-deep",
                          "nesting deeper than " + std::to_string(limits.max_depth) + " levels"));
        return false;
      }
    } else if (c == ']' || c == '}') {
      --depth;
    }
    ++i;
  }
  return true;
}

std::size_t skip_ws(std::string_view t, std::size_t p)
{
  while (p < t.size() && (t[p] == ' ' || t[p] == '\t' || t[p] == '\n' || t[p] == '\r'))
    ++p;
  return p;
}

void append_utf8(std::string& out, std::uint32_t cp)
{
  if (cp < 0x80)
    out += static_cast<char>(cp);
  else if (cp < 0x800) {
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

std::uint32_t hex4(std::string_view t, std::size_t p)
{
  std::uint32_t v = 0;
  for (std::size_t k = 0; k < 4 && p + k < t.size(); ++k) {
    const char c = t[p + k];
    v <<= 4;
    if (c >= '0' && c <= '9')
      v |= static_cast<std::uint32_t>(c - '0');
    else if (c >= 'a' && c <= 'f')
      v |= static_cast<std::uint32_t>(c - 'a' + 10);
    else if (c >= 'A' && c <= 'F')
      v |= static_cast<std::uint32_t>(c - 'A' + 10);
  }
  return v;
}

/// Reads the string starting at t[p] == '"'; returns its decoded value and leaves p after the closing quote.
std::string read_string(std::string_view t, std::size_t& p)
{
  std::string out;
  ++p;
  while (p < t.size() && t[p] != '"') {
    if (t[p] != '\\') {
      out += t[p++];
      continue;
    }
    ++p;
    if (p >= t.size())
      break;
    const char e = t[p++];
    switch (e) {
    case 'b':
      out += '\b';
      break;
    case 'f':
      out += '\f';
      break;
    case 'n':
      out += '\n';
      break;
    case 'r':
      out += '\r';
      break;
    case 't':
      out += '\t';
      break;
    case 'u': {
      std::uint32_t cp = hex4(t, p);
      p += 4;
      if (cp >= 0xD800 && cp <= 0xDBFF && p + 6 <= t.size() && t[p] == '\\' && t[p + 1] == 'u') {
        const std::uint32_t low = hex4(t, p + 2);
        if (low >= 0xDC00 && low <= 0xDFFF) {
          cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
          p += 6;
        }
      }
      append_utf8(out, cp);
      break;
    }
    default:
      out += e;
    }
  }
  ++p;
  return out;
}

/// Walks valid JSON text in document order: visit(pointer, key_offset, value_offset) for every value, and
/// duplicate(pointer, key_offset) for every key that repeats an earlier key of the same object.
void walk(std::string_view t, const std::function<void(const std::string&, std::size_t, std::size_t)>& visit,
          const std::function<void(const std::string&, std::size_t)>& duplicate)
{
  struct Frame {
    bool object;
    std::size_t base; ///< length of the container's own pointer
    std::size_t index = 0;
    std::vector<std::pair<std::string, std::size_t>> keys;
  };
  std::vector<Frame> stack;
  std::string ptr;
  std::size_t p = 0;
  if (t.substr(0, 3) == "\xEF\xBB\xBF")
    p = 3;

  // Opens a container or skips a scalar at t[p].
  const auto enter = [&]() {
    if (p >= t.size())
      return;
    const char c = t[p];
    if (c == '{' || c == '[') {
      stack.push_back(Frame{c == '{', ptr.size(), 0, {}});
      ++p;
    } else if (c == '"') {
      read_string(t, p);
    } else {
      while (p < t.size() && t[p] != ',' && t[p] != ']' && t[p] != '}' && t[p] != ' ' && t[p] != '\n' && t[p] != '\r' &&
             t[p] != '\t')
        ++p;
    }
  };

  p = skip_ws(t, p);
  visit(ptr, npos, p);
  enter();
  while (!stack.empty() && p < t.size()) {
    p = skip_ws(t, p);
    if (p >= t.size())
      break;
    Frame& f = stack.back();
    const char c = t[p];
    if (c == '}' || c == ']') {
      ++p;
      if (f.object && f.keys.size() > 1) {
        auto keys = f.keys;
        std::stable_sort(keys.begin(), keys.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
        for (std::size_t k = 1; k < keys.size(); ++k)
          if (keys[k].first == keys[k - 1].first) {
            ptr.resize(f.base);
            duplicate(ptr + "/" + escape_token(keys[k].first), keys[k].second);
          }
      }
      ptr.resize(f.base);
      stack.pop_back();
      continue;
    }
    if (c == ',') {
      p = skip_ws(t, p + 1);
      if (p >= t.size())
        break;
    }
    ptr.resize(f.base);
    if (f.object) {
      const std::size_t key_offset = p;
      std::string key = read_string(t, p);
      p = skip_ws(t, p);
      if (p < t.size() && t[p] == ':')
        ++p;
      p = skip_ws(t, p);
      ptr += '/';
      ptr += escape_token(key);
      f.keys.emplace_back(std::move(key), key_offset);
      visit(ptr, key_offset, p);
    } else {
      ptr += '/';
      ptr += std::to_string(f.index++);
      visit(ptr, npos, p);
    }
    enter();
  }
}

/// "parse error at line 1, column 5: syntax error while ..." -> "syntax error while ..."
std::string parse_error_text(const std::string& what)
{
  std::string s = what;
  if (s.rfind("[json.exception.", 0) == 0) {
    const std::size_t close = s.find("] ");
    if (close != npos)
      s = s.substr(close + 2);
  }
  if (s.rfind("parse error", 0) == 0) {
    const std::size_t colon = s.find(": ");
    if (colon != npos)
      s = s.substr(colon + 2);
  }
  return s;
}

} // namespace

std::string escape_token(std::string_view key)
{
  std::string out;
  out.reserve(key.size());
  for (char c : key) {
    if (c == '~')
      out += "~0";
    else if (c == '/')
      out += "~1";
    else
      out += c;
  }
  return out;
}

std::vector<Position> positions(std::string_view text, const std::vector<std::size_t>& offsets)
{
  std::vector<std::size_t> order(offsets.size());
  for (std::size_t i = 0; i < order.size(); ++i)
    order[i] = i;
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return offsets[a] < offsets[b]; });
  std::vector<Position> out(offsets.size());
  int line = 1;
  int column = 1;
  std::size_t p = text.substr(0, 3) == "\xEF\xBB\xBF" ? 3 : 0; // a byte order mark is not a column
  for (std::size_t i : order) {
    const std::size_t target = std::min(offsets[i], text.size());
    for (; p < target; ++p) {
      const auto c = static_cast<unsigned char>(text[p]);
      if (c == '\n') {
        ++line;
        column = 1;
      } else if ((c & 0xC0) != 0x80) {
        ++column;
      }
    }
    out[i] = Position{line, column};
  }
  return out;
}

void locate(std::string_view text, std::map<std::string, Location>& wanted)
{
  if (wanted.empty())
    return;
  walk(
      text,
      [&](const std::string& ptr, std::size_t key, std::size_t value) {
        auto it = wanted.find(ptr);
        if (it != wanted.end() && it->second.value == npos)
          it->second = Location{key, value};
      },
      [](const std::string&, std::size_t) {});
}

std::optional<Document> parse(const std::string& path, std::string text, const Limits& limits, Diagnostics& diags)
{
  if (text.size() > limits.max_file_bytes) {
    Diagnostic d;
    d.file = path;
    d.code = "file.too-large";
    d.message = "the file has " + std::to_string(text.size()) + " bytes; the limit is " +
                std::to_string(limits.max_file_bytes) + " bytes";
    diags.add(std::move(d));
    return std::nullopt;
  }
  if (!precheck(path, text, limits, diags))
    return std::nullopt;
  Document doc;
  doc.path = path;
  try {
    doc.root = nlohmann::json::parse(text, nullptr, true, false);
  } catch (const nlohmann::json::parse_error& e) {
    const std::size_t offset = e.byte > 0 ? e.byte - 1 : 0;
    diags.add(located(path, text, offset, "json.syntax", parse_error_text(e.what())));
    return std::nullopt;
  } catch (const std::exception& e) {
    // Anything else nlohmann/json may throw while parsing (e.g. out of memory) is still a diagnostic, not a crash.
    Diagnostic d;
    d.file = path;
    d.code = "json.syntax";
    d.message = e.what();
    diags.add(std::move(d));
    return std::nullopt;
  }
  bool duplicates = false;
  walk(
      text, [](const std::string&, std::size_t, std::size_t) {},
      [&](const std::string& ptr, std::size_t key_offset) {
        Diagnostic d = located(path, text, key_offset, "json.duplicate-key",
                               "duplicate key; an object may hold each key only once");
        d.pointer = ptr;
        diags.add(std::move(d));
        duplicates = true;
      });
  if (duplicates)
    return std::nullopt;
  doc.text = std::move(text);
  return doc;
}

std::optional<Document> read(const std::string& path, const Limits& limits, Diagnostics& diags)
{
  const auto fail = [&](std::string code, std::string message) {
    Diagnostic d;
    d.file = path;
    d.code = std::move(code);
    d.message = std::move(message);
    diags.add(std::move(d));
    return std::nullopt;
  };
  std::error_code ec;
  const auto status = std::filesystem::status(path, ec);
  if (ec || !std::filesystem::exists(status))
    return fail("file.unreadable", "cannot open the file: no such file");
  if (!std::filesystem::is_regular_file(status))
    return fail("file.unreadable", "cannot read the file: not a regular file");
  const auto size = std::filesystem::file_size(path, ec);
  if (ec)
    return fail("file.unreadable", "cannot read the file: " + ec.message());
  if (size > limits.max_file_bytes)
    return fail("file.too-large", "the file has " + std::to_string(size) + " bytes; the limit is " +
                                      std::to_string(limits.max_file_bytes) + " bytes");
  std::ifstream in(path, std::ios::binary);
  if (!in)
    return fail("file.unreadable", "cannot open the file");
  std::string text(static_cast<std::size_t>(size), '\0');
  in.read(text.data(), static_cast<std::streamsize>(size));
  text.resize(static_cast<std::size_t>(in.gcount()));
  return parse(path, std::move(text), limits, diags);
}

} // namespace cyberex::json_source

/* STIX 2.1: deterministic ids (UUIDv5) and the indicator patterns, both ways (docs/interchange.md). */
#include "report/stix.hpp"

#include <openssl/evp.h>

#include <array>
#include <cctype>
#include <cstdio>
#include <stdexcept>

namespace cyberex::stix {
namespace {

int hex_value(char c)
{
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

bool all_hex(std::string_view s)
{
  for (char c : s)
    if (hex_value(c) < 0)
      return false;
  return !s.empty();
}

/// A STIX string literal: quotes and backslashes escaped.
std::string literal(std::string_view s)
{
  std::string out = "'";
  for (char c : s) {
    if (c == '\'' || c == '\\')
      out += '\\';
    out += c;
  }
  return out + "'";
}

} // namespace

std::string uuid5(std::string_view name_space, std::string_view name)
{
  std::array<unsigned char, 16> ns{};
  std::size_t n = 0;
  for (std::size_t i = 0; i < name_space.size(); ++i) {
    if (name_space[i] == '-')
      continue;
    const int hi = hex_value(name_space[i]);
    const int lo = i + 1 < name_space.size() ? hex_value(name_space[i + 1]) : -1;
    if (hi < 0 || lo < 0 || n == ns.size())
      throw std::invalid_argument("uuid5: not a UUID: " + std::string(name_space));
    ns[n++] = static_cast<unsigned char>(hi * 16 + lo);
    ++i;
  }
  if (n != ns.size())
    throw std::invalid_argument("uuid5: not a UUID: " + std::string(name_space));
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  const bool ok = ctx && EVP_DigestInit_ex(ctx, EVP_sha1(), nullptr) == 1 &&
                  EVP_DigestUpdate(ctx, ns.data(), ns.size()) == 1 &&
                  EVP_DigestUpdate(ctx, name.data(), name.size()) == 1 && EVP_DigestFinal_ex(ctx, digest, &length) == 1;
  EVP_MD_CTX_free(ctx);
  if (!ok || length < 16)
    throw std::runtime_error("uuid5: SHA-1 failed");
  digest[6] = static_cast<unsigned char>((digest[6] & 0x0f) | 0x50); // version 5
  digest[8] = static_cast<unsigned char>((digest[8] & 0x3f) | 0x80); // RFC 4122 variant
  std::string out;
  char buf[3];
  for (int i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10)
      out += '-';
    std::snprintf(buf, sizeof buf, "%02x", digest[i]);
    out += buf;
  }
  return out;
}

std::string object_id(std::string_view type, std::string_view key)
{
  return std::string(type) + "--" + uuid5(ID_NAMESPACE, key);
}

std::optional<std::string> pattern_of(const Indicator& indicator, std::string& why)
{
  const std::string& v = indicator.value;
  switch (indicator.type) {
  case Indicator::Type::hash: {
    const char* algorithm = nullptr;
    if (!all_hex(v)) {
      why = "the hash " + literal(v) + " is not hexadecimal";
      return std::nullopt;
    }
    switch (v.size()) {
    case 32:
      algorithm = "MD5";
      break;
    case 40:
      algorithm = "SHA-1";
      break;
    case 64:
      algorithm = "SHA-256";
      break;
    case 128:
      algorithm = "SHA-512";
      break;
    default:
      why = "a hash of " + std::to_string(v.size()) +
            " hex digits fits no STIX hash algorithm (MD5: 32, SHA-1: 40, SHA-256: 64, SHA-512: 128)";
      return std::nullopt;
    }
    return "[file:hashes.'" + std::string(algorithm) + "' = " + literal(v) + "]";
  }
  case Indicator::Type::domain:
    return "[domain-name:value = " + literal(v) + "]";
  case Indicator::Type::ip:
    return std::string(v.find(':') != std::string::npos ? "[ipv6-addr:value = " : "[ipv4-addr:value = ") + literal(v) +
           "]";
  case Indicator::Type::url:
    return "[url:value = " + literal(v) + "]";
  case Indicator::Type::email:
    return "[email-addr:value = " + literal(v) + "]";
  case Indicator::Type::file:
    return "[file:name = " + literal(v) + "]";
  case Indicator::Type::registry:
    return "[windows-registry-key:key = " + literal(v) + "]";
  case Indicator::Type::other:
    break;
  }
  why = "an indicator of type \"other\" has no STIX pattern";
  return std::nullopt;
}

// -------------------------------------------------------------------------------------------------------------------
// Reading patterns: a tokenizer for the STIX patterning language (STIX 2.1 part 9), enough to tell a malformed
// pattern from one of a form cyberex does not map.

namespace {

struct Token {
  enum class Kind { open_bracket, close_bracket, open_paren, close_paren, path, word, op, string, literal, number };
  Kind kind;
  std::string text; ///< path: as written; string: the decoded value; others: as written
  std::size_t offset;
};

bool is_word_char(char c)
{
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-';
}

/// Reads a quoted literal starting at p (p at the quote); returns false with `error` on a bad escape or no end.
bool quoted(std::string_view s, std::size_t& p, std::string& value, std::string& error, std::size_t& error_at)
{
  const std::size_t open = p++;
  while (p < s.size()) {
    const char c = s[p];
    if (c == '\\') {
      if (p + 1 < s.size() && (s[p + 1] == '\'' || s[p + 1] == '\\')) {
        value += s[p + 1];
        p += 2;
        continue;
      }
      error = "invalid escape in a string literal (only \\' and \\\\ are allowed)";
      error_at = p;
      return false;
    }
    if (c == '\'') {
      ++p;
      return true;
    }
    value += c;
    ++p;
  }
  error = "unterminated string literal";
  error_at = open;
  return false;
}

PatternReading malformed(std::string message, std::size_t offset)
{
  PatternReading r;
  r.outcome = PatternReading::Outcome::malformed;
  r.message = std::move(message);
  r.offset = offset;
  return r;
}

} // namespace

PatternReading read_pattern(std::string_view s)
{
  std::vector<Token> tokens;
  std::size_t p = 0;
  while (p < s.size()) {
    const char c = s[p];
    if (std::isspace(static_cast<unsigned char>(c))) {
      ++p;
      continue;
    }
    const std::size_t at = p;
    if (c == '[' || c == ']' || c == '(' || c == ')') {
      tokens.push_back({c == '['   ? Token::Kind::open_bracket
                        : c == ']' ? Token::Kind::close_bracket
                        : c == '(' ? Token::Kind::open_paren
                                   : Token::Kind::close_paren,
                        std::string(1, c), at});
      ++p;
    } else if (c == '\'') {
      std::string value, error;
      std::size_t error_at = 0;
      if (!quoted(s, p, value, error, error_at))
        return malformed(error, error_at);
      tokens.push_back({Token::Kind::string, value, at});
    } else if (c == '=' || c == '!' || c == '<' || c == '>') {
      std::string op(1, c);
      ++p;
      if (p < s.size() && s[p] == '=' && c != '=')
        op += s[p++];
      if (op == "!")
        return malformed("expected '!=' ('!' alone is no operator)", at);
      tokens.push_back({Token::Kind::op, op, at});
    } else if (std::isdigit(static_cast<unsigned char>(c)) || c == '-' || c == '+') {
      ++p;
      while (p < s.size() && (std::isdigit(static_cast<unsigned char>(s[p])) || s[p] == '.'))
        ++p;
      tokens.push_back({Token::Kind::number, std::string(s.substr(at, p - at)), at});
    } else if (std::isalpha(static_cast<unsigned char>(c))) {
      while (p < s.size() && is_word_char(s[p]))
        ++p;
      if (p < s.size() && s[p] == '\'' && p - at == 1 && (c == 't' || c == 'h' || c == 'b')) {
        std::string value, error; // t'...', h'...', b'...' literals
        std::size_t error_at = 0;
        if (!quoted(s, p, value, error, error_at))
          return malformed(error, error_at);
        tokens.push_back({Token::Kind::literal, std::string(s.substr(at, p - at)), at});
        continue;
      }
      if (p < s.size() && s[p] == ':') { // an object path: TYPE:PROPERTY(.KEY|.'KEY'|[N])*
        ++p;
        if (p >= s.size() || !(std::isalpha(static_cast<unsigned char>(s[p])) || s[p] == '_'))
          return malformed("expected a property name after the object type", p);
        while (p < s.size()) {
          if (is_word_char(s[p])) {
            ++p;
          } else if (s[p] == '.' && p + 1 < s.size() && s[p + 1] == '\'') {
            ++p;
            std::string value, error;
            std::size_t error_at = 0;
            if (!quoted(s, p, value, error, error_at))
              return malformed(error, error_at);
          } else if (s[p] == '.' && p + 1 < s.size() && is_word_char(s[p + 1])) {
            ++p;
          } else if (s[p] == '[' && p + 2 < s.size() &&
                     (s[p + 1] == '*' || std::isdigit(static_cast<unsigned char>(s[p + 1])))) {
            const std::size_t close = s.find(']', p);
            if (close == std::string_view::npos)
              return malformed("unterminated list index in the object path", p);
            p = close + 1;
          } else {
            break;
          }
        }
        tokens.push_back({Token::Kind::path, std::string(s.substr(at, p - at)), at});
      } else {
        tokens.push_back({Token::Kind::word, std::string(s.substr(at, p - at)), at});
      }
    } else {
      return malformed(std::string("unexpected character '") + c + "'", at);
    }
  }
  if (tokens.empty())
    return malformed("empty pattern; expected an observation expression such as [domain-name:value = 'x.example']", 0);
  if (tokens.front().kind != Token::Kind::open_bracket && tokens.front().kind != Token::Kind::open_paren)
    return malformed("a pattern starts with '[' (an observation expression) or '('", tokens.front().offset);

  // brackets and parentheses balance; every comparison is PATH OP VALUE
  int parens = 0;
  std::size_t bracket_open = std::string::npos, open_paren_at = 0;
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    const Token& t = tokens[i];
    switch (t.kind) {
    case Token::Kind::open_bracket:
      if (bracket_open != std::string::npos)
        return malformed("'[' inside an observation expression", t.offset);
      bracket_open = i;
      break;
    case Token::Kind::close_bracket:
      if (bracket_open == std::string::npos)
        return malformed("']' without its '['", t.offset);
      if (bracket_open + 1 == i)
        return malformed("empty observation expression '[]'", tokens[bracket_open].offset);
      bracket_open = std::string::npos;
      break;
    case Token::Kind::open_paren:
      if (parens++ == 0)
        open_paren_at = t.offset;
      break;
    case Token::Kind::close_paren:
      if (--parens < 0)
        return malformed("')' without its '('", t.offset);
      break;
    case Token::Kind::op: {
      const bool path_before = i > 0 && tokens[i - 1].kind == Token::Kind::path;
      if (!path_before)
        return malformed("expected an object path such as domain-name:value before '" + t.text + "'", t.offset);
      const bool value_after =
          i + 1 < tokens.size() &&
          (tokens[i + 1].kind == Token::Kind::string || tokens[i + 1].kind == Token::Kind::literal ||
           tokens[i + 1].kind == Token::Kind::number || tokens[i + 1].kind == Token::Kind::word);
      if (!value_after)
        return malformed("expected a value after '" + t.text + "'",
                         i + 1 < tokens.size() ? tokens[i + 1].offset : s.size());
      break;
    }
    case Token::Kind::path:
      if (bracket_open == std::string::npos)
        return malformed("object path '" + t.text + "' outside '[...]'", t.offset);
      if (i + 1 >= tokens.size() || (tokens[i + 1].kind != Token::Kind::op && tokens[i + 1].kind != Token::Kind::word))
        return malformed("expected a comparison operator after '" + t.text + "'",
                         i + 1 < tokens.size() ? tokens[i + 1].offset : s.size());
      break;
    default:
      break;
    }
  }
  if (bracket_open != std::string::npos)
    return malformed("'[' without its ']'", tokens[bracket_open].offset);
  if (parens > 0)
    return malformed("'(' without its ')'", open_paren_at);

  PatternReading r;
  r.outcome = PatternReading::Outcome::not_mapped;
  const bool simple = tokens.size() == 5 && tokens[0].kind == Token::Kind::open_bracket &&
                      tokens[1].kind == Token::Kind::path && tokens[2].kind == Token::Kind::op &&
                      tokens[3].kind == Token::Kind::string && tokens[4].kind == Token::Kind::close_bracket;
  if (!simple) {
    r.message = "only one comparison [PATH = 'value'] is mapped";
    return r;
  }
  if (tokens[2].text != "=") {
    r.message = "operator '" + tokens[2].text + "' is not mapped (only '=')";
    return r;
  }
  std::string path; // quotes of the keys removed: file:hashes.'SHA-256' -> file:hashes.SHA-256
  for (char c : tokens[1].text)
    if (c != '\'')
      path += c;
  struct Path {
    const char* path;
    Indicator::Type type;
  };
  static const Path paths[] = {{"file:hashes.MD5", Indicator::Type::hash},
                               {"file:hashes.SHA-1", Indicator::Type::hash},
                               {"file:hashes.SHA-256", Indicator::Type::hash},
                               {"file:hashes.SHA-512", Indicator::Type::hash},
                               {"file:hashes.SHA3-256", Indicator::Type::hash},
                               {"file:hashes.SHA3-512", Indicator::Type::hash},
                               {"domain-name:value", Indicator::Type::domain},
                               {"ipv4-addr:value", Indicator::Type::ip},
                               {"ipv6-addr:value", Indicator::Type::ip},
                               {"url:value", Indicator::Type::url},
                               {"email-addr:value", Indicator::Type::email},
                               {"file:name", Indicator::Type::file},
                               {"windows-registry-key:key", Indicator::Type::registry}};
  for (const Path& candidate : paths)
    if (path == candidate.path) {
      r.outcome = PatternReading::Outcome::mapped;
      r.type = candidate.type;
      r.value = tokens[3].text;
      return r;
    }
  r.message = "object path '" + tokens[1].text + "' is not mapped";
  return r;
}

} // namespace cyberex::stix

/* Keyed MACs of the journal's lines, its key file and its commit record (docs/journal.md, "Integrity"). */
#include "journal/integrity.hpp"

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/params.h>
#include <openssl/rand.h>

#include <cinttypes>
#include <cstdio>
#include <stdexcept>

namespace cyberex::journal_integrity {

namespace {

constexpr char hex_digits[] = "0123456789abcdef";

bool is_hex(std::string_view s)
{
  for (char c : s)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
      return false;
  return true;
}

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

/// An unsigned integer key `"name":123` at `pos` of `text`; advances pos past it.
bool read_uint(std::string_view text, std::size_t& pos, std::string_view name, std::uint64_t& out)
{
  const std::string key = "\"" + std::string(name) + "\":";
  if (text.compare(pos, key.size(), key) != 0)
    return false;
  pos += key.size();
  const std::size_t start = pos;
  out = 0;
  while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
    const std::uint64_t d = static_cast<std::uint64_t>(text[pos] - '0');
    if (out > (UINT64_MAX - d) / 10)
      return false;
    out = out * 10 + d;
    ++pos;
  }
  return pos > start && (pos - start == 1 || text[start] != '0');
}

/// A string key `"name":"<32 hex digits or empty>"` at pos.
bool read_mac(std::string_view text, std::size_t& pos, std::string_view name, std::string& out, bool may_be_empty)
{
  const std::string key = "\"" + std::string(name) + "\":\"";
  if (text.compare(pos, key.size(), key) != 0)
    return false;
  pos += key.size();
  const std::size_t close = text.find('"', pos);
  if (close == std::string_view::npos)
    return false;
  out = std::string(text.substr(pos, close - pos));
  pos = close + 1;
  if (out.empty())
    return may_be_empty;
  return out.size() == mac_digits && is_hex(out);
}

} // namespace

std::string key_path(const std::string& journal)
{
  return journal + ".key";
}

std::string commit_path(const std::string& journal)
{
  return journal + ".commit";
}

std::optional<Key> random_key()
{
  Key k{};
  if (RAND_bytes(k.data(), static_cast<int>(k.size())) != 1)
    return std::nullopt;
  return k;
}

std::string key_text(const Key& key)
{
  std::string s;
  for (unsigned char b : key) {
    s += hex_digits[b >> 4];
    s += hex_digits[b & 15];
  }
  return s + "\n";
}

std::optional<Key> parse_key(std::string_view text)
{
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' ' || text.back() == '\t'))
    text.remove_suffix(1);
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t'))
    text.remove_prefix(1);
  if (text.size() != 2 * key_size)
    return std::nullopt;
  Key k{};
  for (std::size_t i = 0; i < key_size; ++i) {
    const int hi = hex_value(text[2 * i]), lo = hex_value(text[2 * i + 1]);
    if (hi < 0 || lo < 0)
      return std::nullopt;
    k[i] = static_cast<unsigned char>(hi * 16 + lo);
  }
  return k;
}

// ---------------------------------------------------------------------------------------------------------------
// Mac

struct Mac::Context {
  EVP_MAC* mac = nullptr;
  EVP_MAC_CTX* ctx = nullptr;
  ~Context()
  {
    EVP_MAC_CTX_free(ctx);
    EVP_MAC_free(mac);
  }
};

Mac::Mac(const Key& key) : ctx_(std::make_unique<Context>())
{
  ctx_->mac = EVP_MAC_fetch(nullptr, OSSL_MAC_NAME_HMAC, nullptr);
  if (ctx_->mac)
    ctx_->ctx = EVP_MAC_CTX_new(ctx_->mac);
  char digest[] = "SHA256";
  const OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest, 0),
                               OSSL_PARAM_construct_end()};
  // a broken libcrypto is a broken invariant, not bad input
  if (!ctx_->ctx || EVP_MAC_init(ctx_->ctx, key.data(), key.size(), params) != 1)
    throw std::runtime_error("OpenSSL: cannot set up HMAC-SHA256");
}

Mac::~Mac() = default;

std::string Mac::compute(std::string_view a, std::string_view b)
{
  // a NULL key re-initialises the context with the key it holds (the padded key blocks are not recomputed)
  unsigned char out[EVP_MAX_MD_SIZE];
  std::size_t n = 0;
  if (EVP_MAC_init(ctx_->ctx, nullptr, 0, nullptr) != 1 ||
      EVP_MAC_update(ctx_->ctx, reinterpret_cast<const unsigned char*>(a.data()), a.size()) != 1 ||
      EVP_MAC_update(ctx_->ctx, reinterpret_cast<const unsigned char*>(b.data()), b.size()) != 1 ||
      EVP_MAC_final(ctx_->ctx, out, &n, sizeof out) != 1 || n < mac_digits / 2)
    throw std::runtime_error("OpenSSL: HMAC-SHA256 failed");
  std::string s(mac_digits, '0');
  for (std::size_t i = 0; i < mac_digits / 2; ++i) {
    s[2 * i] = hex_digits[out[i] >> 4];
    s[2 * i + 1] = hex_digits[out[i] & 15];
  }
  return s;
}

std::string Mac::header(std::string_view body)
{
  return compute({}, body);
}

std::string Mac::line(std::string_view previous, std::string_view body)
{
  return compute(previous, body);
}

std::string Mac::commit(std::string_view body)
{
  return compute({}, body);
}

// ---------------------------------------------------------------------------------------------------------------
// Lines and the commit record

std::optional<SplitLine> split_mac(std::string_view line, std::string_view key)
{
  // ,"mac":"<32 hex>"}
  const std::string head = ",\"" + std::string(key) + "\":\"";
  const std::size_t suffix = head.size() + mac_digits + 2;
  if (line.size() < suffix + 1 || line.back() != '}' || line[line.size() - 2] != '"')
    return std::nullopt;
  const std::size_t at = line.size() - suffix;
  if (line.compare(at, head.size(), head) != 0)
    return std::nullopt;
  const std::string_view mac = line.substr(at + head.size(), mac_digits);
  if (!is_hex(mac))
    return std::nullopt;
  SplitLine out;
  out.body.reserve(at + 1);
  out.body.append(line.substr(0, at));
  out.body += '}';
  out.mac = std::string(mac);
  return out;
}

std::string with_mac(std::string_view body, std::string_view mac, std::string_view key)
{
  std::string s;
  s.reserve(body.size() + key.size() + mac.size() + 8);
  s.append(body.substr(0, body.size() - 1)); // without its closing brace
  s += ",\"";
  s.append(key);
  s += "\":\"";
  s.append(mac);
  s += "\"}";
  return s;
}

std::string commit_record(const CommitPoint& p, Mac& mac)
{
  char buf[commit_size];
  std::snprintf(buf, sizeof buf,
                "{\"bytes\":%" PRIu64 ",\"lines\":%" PRIu64 ",\"index\":%" PRIu64 ",\"seq\":%" PRIu64
                ",\"mac\":\"%s\"}",
                p.bytes, p.lines, p.index, p.seq, p.mac.c_str());
  std::string record = with_mac(buf, mac.commit(buf), "hmac");
  record.resize(commit_size - 1, ' ');
  return record + "\n";
}

std::optional<CommitPoint> parse_commit(std::string_view text, Mac* mac, bool* hmac_ok)
{
  while (!text.empty() && (text.back() == '\n' || text.back() == ' '))
    text.remove_suffix(1);
  auto split = split_mac(text, "hmac");
  if (!split)
    return std::nullopt;
  const std::string_view body = split->body;
  CommitPoint p;
  std::size_t pos = 1;
  auto comma = [&] { return pos < body.size() && body[pos++] == ','; };
  if (body.empty() || body[0] != '{' || !read_uint(body, pos, "bytes", p.bytes) || !comma() ||
      !read_uint(body, pos, "lines", p.lines) || !comma() || !read_uint(body, pos, "index", p.index) || !comma() ||
      !read_uint(body, pos, "seq", p.seq) || !comma() || !read_mac(body, pos, "mac", p.mac, p.lines == 0) ||
      pos + 1 != body.size())
    return std::nullopt;
  if (hmac_ok)
    *hmac_ok = mac && mac->commit(body) == split->mac;
  return p;
}

} // namespace cyberex::journal_integrity

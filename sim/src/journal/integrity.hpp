/* The journal's integrity (format 3, docs/journal.md "Integrity"): a chain of keyed MACs over its lines, the key file
 * beside the journal and the commit file that says how much of it was made durable. Internal to the journal area
 * (format.cpp); the tests use it to build journals of their own. OpenSSL stays out of the public headers. */
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace cyberex::journal_integrity {

inline constexpr std::size_t key_size = 32;     ///< bytes of a journal key (hex in the key file: 64 digits)
inline constexpr std::size_t mac_digits = 32;   ///< a MAC as written: HMAC-SHA256 truncated to 128 bits, lower-case hex
inline constexpr std::size_t commit_size = 256; ///< bytes of the commit file: one record, padded, rewritten in place

using Key = std::array<unsigned char, key_size>;

/// JOURNAL.key and JOURNAL.commit.
std::string key_path(const std::string& journal);
std::string commit_path(const std::string& journal);

/// 32 bytes from OpenSSL's RAND_bytes; nullopt if it fails.
std::optional<Key> random_key();
/// The key file's text: 64 hex digits and a newline.
std::string key_text(const Key& key);
/// Parse a key file's text (64 hex digits, surrounding white space ignored).
std::optional<Key> parse_key(std::string_view text);

/// HMAC-SHA256 under one key, truncated to 128 bits, as 32 lower-case hex digits. The HMAC context is keyed once and
/// reused for every MAC; not thread-safe.
class Mac {
public:
  explicit Mac(const Key& key);
  ~Mac();
  Mac(const Mac&) = delete;
  Mac& operator=(const Mac&) = delete;

  /// mac_0: of the header line without its "mac" key.
  std::string header(std::string_view body);
  /// mac_i: of the previous line's MAC (its 32 hex digits) followed by line i without its "mac" key.
  std::string line(std::string_view previous, std::string_view body);
  /// The commit record's "hmac": of the record's text without its "hmac" key.
  std::string commit(std::string_view body);

private:
  std::string compute(std::string_view a, std::string_view b);
  struct Context;
  std::unique_ptr<Context> ctx_;
};

/// A line of a format 3 journal split into what the MAC covers (the line without `,"mac":"..."`) and the MAC.
struct SplitLine {
  std::string body;
  std::string mac;
};
/// Split a line (no newline) that ends with `,"mac":"<32 hex digits>"}`; nullopt when it does not.
std::optional<SplitLine> split_mac(std::string_view line, std::string_view key = "mac");
/// `body` (a JSON object) with `"mac":MAC` added as its last key.
std::string with_mac(std::string_view body, std::string_view mac, std::string_view key = "mac");

/// How far the journal was made durable: the commit file's record.
struct CommitPoint {
  std::uint64_t bytes = 0; ///< length of the durable prefix: a line boundary
  std::uint64_t lines = 0; ///< lines in it, the header included (0: nothing durable yet)
  std::uint64_t index = 0; ///< the last command's index in it
  std::uint64_t seq = 0;   ///< the last record's seq in it
  std::string mac;         ///< the MAC of line `lines` (empty when lines == 0)
  bool operator==(const CommitPoint&) const = default;
};

/// The commit file's bytes: {"bytes":B,"lines":L,"index":K,"seq":N,"mac":"...","hmac":"..."}, padded with spaces
/// to commit_size - 1 bytes and a newline.
std::string commit_record(const CommitPoint& point, Mac& mac);
/// Parse a commit file's text; *hmac_ok (if given) says whether its hmac verified (only when `mac` is given).
/// nullopt when it is not a commit record.
std::optional<CommitPoint> parse_commit(std::string_view text, Mac* mac, bool* hmac_ok);

} // namespace cyberex::journal_integrity

/* Access tokens of a drill: one per principal, written to a file only its owner can read. */
#pragma once

#include "cyberex/net.hpp"

#include <optional>
#include <string>
#include <vector>

namespace cyberex::net {

class TokenTable {
public:
  /// Reuse the tokens in `path` if `reuse` and the file holds exactly one token per principal (a restarted drill keeps
  /// its credentials); otherwise write fresh random tokens there (mode 0600). False and *error on failure.
  bool load_or_create(const std::string& path, const std::vector<Principal>& principals, bool reuse,
                      std::string* error);
  /// The principal holding `token`; compares in constant time.
  std::optional<Principal> find(const std::string& token) const;

private:
  std::vector<TokenEntry> entries_;
};

/// 64 hex digits from /dev/urandom; throws std::runtime_error if it cannot be read.
std::string random_token();

} // namespace cyberex::net

/* STIX 2.1 interchange (docs/interchange.md): deterministic ids, the indicator patterns cyberex writes and reads back,
 * and the import of a bundle into a scenario fragment. Internal: only the report sources, `cyberex import` and the
 * tests include it. */
#pragma once

#include "cyberex/diagnostic.hpp"
#include "cyberex/model.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cyberex::stix {

/// The namespace of every id cyberex writes (a fixed UUID of its own; RFC 4122 section 4.3).
inline constexpr const char* ID_NAMESPACE = "a6c0e2b4-1f37-4d5e-9c8b-7e3f2d1a0c95";

/// RFC 4122 version 5 UUID (SHA-1) of `name` in `name_space` ("xxxxxxxx-xxxx-5xxx-yxxx-xxxxxxxxxxxx", lower case).
/// `name_space` must be a UUID in its text form.
std::string uuid5(std::string_view name_space, std::string_view name);

/// A STIX identifier: "TYPE--" + uuid5(ID_NAMESPACE, key), e.g. object_id("campaign", "campaign:apt-de").
std::string object_id(std::string_view type, std::string_view key);

/// The STIX pattern of a scenario indicator ("[domain-name:value = 'x.example']"), or nothing with the reason in
/// `why` (a hash whose length fits no STIX hash algorithm, a type STIX patterns do not name).
std::optional<std::string> pattern_of(const Indicator& indicator, std::string& why);

/// A pattern read back: what it maps to, what it cannot map, or where it is malformed.
struct PatternReading {
  enum class Outcome { mapped, not_mapped, malformed } outcome = Outcome::malformed;
  Indicator::Type type = Indicator::Type::other;
  std::string value;
  std::string message;    ///< not_mapped: why; malformed: what is wrong
  std::size_t offset = 0; ///< malformed: the character of the pattern at fault (0-based)
};

/// Reads a STIX pattern of the forms pattern_of() writes (one comparison "[PATH = 'literal']" of the paths of the
/// mapping table in docs/interchange.md). Checks the pattern's syntax (brackets, quotes, operators) first.
PatternReading read_pattern(std::string_view pattern);

/// The result of `cyberex import stix`.
struct Import {
  std::string fragment;              ///< the scenario fragment (JSON text, 2-space indent, newline at the end)
  Diagnostics diagnostics;           ///< errors (malformed bundle) and warnings (what was not mapped), with positions
  std::vector<std::string> unmapped; ///< one line per object or pattern left out (also in the warnings)
  int indicators = 0, campaigns = 0, steps = 0;
};

/// Reads the bundle file `path` (text `text`) into a scenario fragment; `prefix` goes in front of every id it
/// defines (so that a fragment can join the scenario it was exported from). Errors make diagnostics.has_errors();
/// the fragment is then empty.
Import import_bundle(const std::string& path, std::string text, const std::string& prefix = {});

} // namespace cyberex::stix

/* Synthetic national-scale scenarios (scenario format v1) for benchmarks and load tests. */
#pragma once

#include <cstdint>
#include <iosfwd>
#include <string>

namespace cyberex {

struct GenerateOptions {
  std::int64_t nodes = 100000; ///< exact number of nodes in the scenario (after "count" expansion)
  std::int64_t sites = 1000;   ///< sites of organisations, besides the internet and the backbone
  std::uint64_t seed = 1;      ///< the same options give the same file, byte for byte
  double duration = 86400;     ///< exercise duration in seconds; campaign and inject times scale with it
};

/// What a generated scenario holds, for the caller's summary line.
struct GenerateSummary {
  std::int64_t nodes = 0;
  std::int64_t sites = 0; ///< every site, internet and backbone included
  std::int64_t links = 0; ///< explicit links (uplinks not counted)
  std::int64_t services = 0;
  std::int64_t probes = 0;
  std::int64_t dependencies = 0;
  std::int64_t campaigns = 0;
  std::int64_t sensors = 0;
  std::int64_t injects = 0;
  std::int64_t teams = 0;
  std::int64_t bytes = 0; ///< bytes written
};

/// The empty string when `options` can be generated, otherwise what is wrong (e.g. too few nodes for the sites).
std::string check_generate_options(const GenerateOptions& options);

/// Write the scenario as JSON to `out`, streaming (memory does not grow with the node count).
/// Throws std::invalid_argument with check_generate_options()'s message when the options are inconsistent.
GenerateSummary generate_scenario(const GenerateOptions& options, std::ostream& out);

} // namespace cyberex

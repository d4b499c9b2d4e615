#pragma once
// Deterministic random streams for the generators (synthetic scenarios, synthetic grids): splitmix64, one stream
// per purpose derived from (seed, name), so adding a draw to one stream never shifts another. No std::*_distribution
// (their output differs between standard libraries). Private to sim/src.

#include <cstdint>
#include <string_view>

namespace cyberex::detail {

inline std::uint64_t splitmix64(std::uint64_t x)
{
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

class StreamRng {
public:
  StreamRng(std::uint64_t seed, std::string_view stream)
  {
    std::uint64_t h = 0xcbf29ce484222325ULL; // FNV-1a of the stream name
    for (char c : stream)
      h = (h ^ static_cast<unsigned char>(c)) * 0x100000001b3ULL;
    state_ = splitmix64(seed ^ h);
  }
  std::uint64_t next()
  {
    state_ += 0x9e3779b97f4a7c15ULL;
    return splitmix64(state_);
  }
  /// Uniform real in [lo, hi).
  double uniform(double lo, double hi) { return lo + (hi - lo) * static_cast<double>(next() >> 11) * 0x1.0p-53; }

private:
  std::uint64_t state_;
};

} // namespace cyberex::detail

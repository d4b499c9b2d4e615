/* Reproducible random streams: one per purpose, derived from (seed, stream name). Our own sampling, never
 * std::*_distribution (not reproducible across standard libraries). */
#pragma once

#include "cyberex/model.hpp"

#include <cmath>
#include <cstdint>
#include <string_view>

namespace cyberex {

inline std::uint64_t splitmix64(std::uint64_t& state)
{
  std::uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

/// FNV-1a 64 of a name: mixes the stream name into the seed.
inline std::uint64_t hash_name(std::string_view name)
{
  std::uint64_t h = 0xcbf29ce484222325ULL;
  for (unsigned char ch : name) {
    h ^= ch;
    h *= 0x100000001b3ULL;
  }
  return h;
}

/// xoshiro256** seeded through splitmix64 from (seed, name).
class Rng {
public:
  Rng() : Rng(1, "") {}
  Rng(std::uint64_t seed, std::string_view name)
  {
    std::uint64_t sm = seed ^ hash_name(name);
    for (auto& w : s_)
      w = splitmix64(sm);
  }

  std::uint64_t next()
  {
    const std::uint64_t result = rotl(s_[1] * 5, 7) * 9;
    const std::uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = rotl(s_[3], 45);
    return result;
  }
  /// Uniform in [0, 1) with 53 bits.
  double uniform01() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
  double uniform(double lo, double hi) { return lo + (hi - lo) * uniform01(); }
  /// Uniform integer in [0, n), n > 0 (modulo: the bias is below n / 2^64, negligible for our n).
  std::uint64_t below(std::uint64_t n) { return next() % n; }
  bool chance(double p) { return p >= 1 || (p > 0 && uniform01() < p); }
  double exponential(double mean) { return -mean * std::log1p(-uniform01()); }
  /// Standard normal by Box-Muller (one value per call: deterministic and simple).
  double standard_normal()
  {
    double u1 = uniform01();
    double u2 = uniform01();
    if (u1 < 1e-300)
      u1 = 1e-300;
    return std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2);
  }
  double normal(double mean, double sd) { return mean + sd * standard_normal(); }
  double lognormal(double median, double sigma) { return median * std::exp(sigma * standard_normal()); }
  /// Triangular on [lo, hi] with mode, by inverting the CDF.
  double triangular(double lo, double hi, double mode)
  {
    if (hi <= lo)
      return lo;
    const double u = uniform01();
    const double f = (mode - lo) / (hi - lo);
    if (u < f)
      return lo + std::sqrt(u * (hi - lo) * (mode - lo));
    return hi - std::sqrt((1 - u) * (hi - lo) * (hi - mode));
  }
  /// A sample of a scenario distribution, clamped to >= 0 (durations and delays).
  double sample(const Distribution& d)
  {
    double v = 0;
    switch (d.kind) {
    case Distribution::Kind::fixed:
      v = d.a;
      break;
    case Distribution::Kind::uniform:
      v = uniform(d.a, d.b);
      break;
    case Distribution::Kind::exponential:
      v = exponential(d.a);
      break;
    case Distribution::Kind::lognormal:
      v = lognormal(d.a, d.b);
      break;
    case Distribution::Kind::triangular:
      v = triangular(d.a, d.b, d.c);
      break;
    case Distribution::Kind::normal:
      v = normal(d.a, d.b);
      break;
    }
    return v < 0 ? 0 : v;
  }

private:
  static std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  std::uint64_t s_[4];
};

} // namespace cyberex

/* Where a step's traffic can go over the links, for the loader's reachability warnings (no Boost in this header:
 * the scenario loader includes it). */
#pragma once

#include "cyberex/model.hpp"

#include <memory>
#include <string>
#include <vector>

namespace cyberex::graph_impl {

/// The network graph of a loaded scenario (links resolved), built once and searched many times.
class Reach {
public:
  explicit Reach(const Scenario& scenario);
  ~Reach();
  Reach(const Reach&) = delete;
  Reach& operator=(const Reach&) = delete;

  /// Nodes that traffic of `protocol` leaving any of `sources` can arrive at, the way the engine routes a campaign
  /// step (docs/engine.md): through any node, over each link the first firewall rule matching the protocol in the
  /// direction of travel lets through (no matching rule allows); `firewalls` false ignores the rules. One flag per
  /// node, the sources included.
  std::vector<char> from(const std::vector<Index>& sources, const std::string& protocol, bool firewalls) const;

private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

} // namespace cyberex::graph_impl

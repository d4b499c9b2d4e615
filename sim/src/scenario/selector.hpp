/* Node selectors: "node:ID", "site:ID", "kind:KIND", "zone:SITE/ZONE", "team:ID", "tag:TAG", "service:ID", "*";
 * words separated by spaces are combined with AND. Parsing checks every word against the scenario; selecting uses
 * per-site, per-kind and per-tag lists built once, so a large scenario with many selectors stays linear. */
#pragma once

#include "cyberex/model.hpp"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace cyberex::scenario_impl {

struct SelectorWord {
  enum class Kind { all, node, site, kind, zone, team, tag, service } kind = Kind::all;
  std::string value;
  Index index = NO_INDEX; ///< node, site, team or service index; zone: site index
  NodeKind node_kind = NodeKind::server;
};

struct SelectorError {
  std::string code;
  std::string message;
};

/// "; did you mean 'x'?" for an unknown node id; for the base id of a counted node, names its copies.
std::string node_suggestion(const std::map<std::string, Index>& nodes, const std::string& id,
                            const std::vector<std::string>& names);

/// Parses and checks a selector; on failure fills `error` (code and message) and returns nothing.
/// `allow_team` is false for team assets (a team cannot be defined by teams).
std::optional<std::vector<SelectorWord>> parse_selector(const Scenario& s, const std::string& text,
                                                        SelectorError& error, bool allow_team = true);

class NodeSelector {
public:
  explicit NodeSelector(const Scenario& s);
  /// Sorted node indices matching every word.
  std::vector<Index> select(const std::vector<SelectorWord>& words) const;

private:
  bool matches(Index node, const SelectorWord& w) const;
  const std::vector<Index>& candidates(const SelectorWord& w, std::vector<Index>& scratch) const;

  const Scenario& s_;
  std::vector<Index> all_;
  std::vector<std::vector<Index>> by_site_;
  std::vector<std::vector<Index>> by_kind_;
  std::map<std::string, std::vector<Index>> by_tag_;
  std::vector<Index> empty_;
};

} // namespace cyberex::scenario_impl

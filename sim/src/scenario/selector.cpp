#include "selector.hpp"

#include "context.hpp"
#include "cyberex/scenario.hpp"

#include <algorithm>

namespace cyberex::scenario_impl {
namespace {

std::vector<std::string> keys_of(const std::map<std::string, Index>& m)
{
  std::vector<std::string> out;
  out.reserve(m.size());
  for (const auto& [k, v] : m)
    out.push_back(k);
  return out;
}

} // namespace

std::string node_suggestion(const std::map<std::string, Index>& nodes, const std::string& id,
                            const std::vector<std::string>& names)
{
  if (nodes.count(id + "-1"))
    return "; did you mean " + quote(id + "-1") + "? (\"count\" copies a node as " + quote(id + "-1") + ", " +
           quote(id + "-2") + ", ...)";
  // "<prefix>:<label>" of an imported topology: suggest among that topology's labels, and name the nearest ones
  // even when none is close (a label is a city name the planner may not know how the file spells).
  const std::size_t colon = id.find(':');
  if (colon != std::string::npos) {
    const std::string prefix = id.substr(0, colon + 1);
    std::vector<std::string> labels;
    for (auto it = nodes.lower_bound(prefix); it != nodes.end() && it->first.compare(0, prefix.size(), prefix) == 0;
         ++it)
      labels.push_back(it->first);
    if (!labels.empty()) {
      const std::string close = did_you_mean(id, labels);
      if (!close.empty())
        return "; did you mean " + quote(close) + "?";
      std::string list;
      for (const auto& l : nearest(id, labels, 3))
        list += (list.empty() ? "" : ", ") + quote(l);
      return "; no label of topology " + quote(id.substr(0, colon)) + " is close; the nearest are: " + list +
             " (cyberex labels FILE.graphml lists them all)";
    }
  }
  return suggestion(id, names);
}

std::optional<std::vector<SelectorWord>> parse_selector(const Scenario& s, const std::string& text,
                                                        SelectorError& error, bool allow_team)
{
  static const std::vector<std::string> prefixes{"node", "site", "kind", "zone", "team", "tag", "service"};
  std::vector<SelectorWord> words;
  std::size_t pos = 0;
  while (pos < text.size()) {
    if (text[pos] == ' ') {
      ++pos;
      continue;
    }
    std::size_t end = text.find(' ', pos);
    if (end == std::string::npos)
      end = text.size();
    const std::string word = text.substr(pos, end - pos);
    pos = end;
    SelectorWord w;
    if (word == "*") {
      words.push_back(w);
      continue;
    }
    const std::size_t colon = word.find(':');
    const std::string prefix = colon == std::string::npos ? word : word.substr(0, colon);
    w.value = colon == std::string::npos ? std::string() : word.substr(colon + 1);
    const auto fail = [&](std::string code, std::string message) {
      error = SelectorError{std::move(code), std::move(message)};
      return std::nullopt;
    };
    if (colon == std::string::npos || w.value.empty() ||
        std::find(prefixes.begin(), prefixes.end(), prefix) == prefixes.end())
      return fail("scenario.bad-selector",
                  "bad selector word " + quote(word) +
                      "; expected node:ID, site:ID, kind:KIND, zone:SITE/ZONE, team:ID, tag:TAG, service:ID or *" +
                      suggestion(prefix, prefixes));
    if (prefix == "node") {
      w.kind = SelectorWord::Kind::node;
      auto it = s.node_by_id.find(w.value);
      if (it == s.node_by_id.end())
        return fail("scenario.unknown-node",
                    "no node " + quote(w.value) + node_suggestion(s.node_by_id, w.value, keys_of(s.node_by_id)));
      w.index = it->second;
    } else if (prefix == "site" || prefix == "zone") {
      std::string site = w.value;
      std::string zone;
      if (prefix == "zone") {
        w.kind = SelectorWord::Kind::zone;
        const std::size_t slash = w.value.find('/');
        if (slash == std::string::npos)
          return fail("scenario.bad-selector", "bad selector word " + quote(word) + "; expected zone:SITE/ZONE");
        site = w.value.substr(0, slash);
        zone = w.value.substr(slash + 1);
      } else {
        w.kind = SelectorWord::Kind::site;
      }
      auto it = s.site_by_id.find(site);
      if (it == s.site_by_id.end())
        return fail("scenario.dangling-reference", "no site " + quote(site) + suggestion(site, keys_of(s.site_by_id)));
      w.index = it->second;
      if (prefix == "zone") {
        std::vector<std::string> zones;
        for (const Zone& z : s.sites[static_cast<std::size_t>(w.index)].zones)
          zones.push_back(z.id);
        if (std::find(zones.begin(), zones.end(), zone) == zones.end())
          return fail("scenario.dangling-reference",
                      "site " + quote(site) + " has no zone " + quote(zone) + suggestion(zone, zones));
        w.value = zone;
      }
    } else if (prefix == "kind") {
      w.kind = SelectorWord::Kind::kind;
      auto k = node_kind_from_string(w.value);
      if (!k)
        return fail("scenario.bad-selector",
                    "unknown node kind " + quote(w.value) + suggestion(w.value, node_kind_names()));
      w.node_kind = *k;
    } else if (prefix == "team") {
      w.kind = SelectorWord::Kind::team;
      if (!allow_team)
        return fail("scenario.bad-selector", "a team's assets cannot be given by team:; use site:, node:, ...");
      auto it = s.team_by_id.find(w.value);
      if (it == s.team_by_id.end())
        return fail("scenario.dangling-reference",
                    "no team " + quote(w.value) + suggestion(w.value, keys_of(s.team_by_id)));
      w.index = it->second;
    } else if (prefix == "tag") {
      w.kind = SelectorWord::Kind::tag;
    } else {
      w.kind = SelectorWord::Kind::service;
      auto it = s.service_by_id.find(w.value);
      if (it == s.service_by_id.end())
        return fail("scenario.dangling-reference",
                    "no service " + quote(w.value) + suggestion(w.value, keys_of(s.service_by_id)));
      w.index = it->second;
    }
    words.push_back(std::move(w));
  }
  if (words.empty()) {
    error = SelectorError{"scenario.bad-selector", "empty selector; use * for every node"};
    return std::nullopt;
  }
  return words;
}

NodeSelector::NodeSelector(const Scenario& s) : s_(s)
{
  by_site_.resize(s.sites.size());
  by_kind_.resize(node_kind_names().size());
  all_.reserve(s.nodes.size());
  for (std::size_t i = 0; i < s.nodes.size(); ++i) {
    const Node& n = s.nodes[i];
    const auto idx = static_cast<Index>(i);
    all_.push_back(idx);
    if (n.site_index >= 0 && static_cast<std::size_t>(n.site_index) < by_site_.size())
      by_site_[static_cast<std::size_t>(n.site_index)].push_back(idx);
    by_kind_[static_cast<std::size_t>(n.kind)].push_back(idx);
    for (const auto& tag : n.tags)
      by_tag_[tag].push_back(idx);
  }
}

bool NodeSelector::matches(Index node, const SelectorWord& w) const
{
  const Node& n = s_.nodes[static_cast<std::size_t>(node)];
  switch (w.kind) {
  case SelectorWord::Kind::all:
    return true;
  case SelectorWord::Kind::node:
    return node == w.index;
  case SelectorWord::Kind::site:
    return n.site_index == w.index;
  case SelectorWord::Kind::zone:
    return n.site_index == w.index && n.zone == w.value;
  case SelectorWord::Kind::kind:
    return n.kind == w.node_kind;
  case SelectorWord::Kind::team: {
    const auto& assets = s_.teams[static_cast<std::size_t>(w.index)].asset_nodes;
    return std::binary_search(assets.begin(), assets.end(), node);
  }
  case SelectorWord::Kind::tag:
    return std::find(n.tags.begin(), n.tags.end(), w.value) != n.tags.end();
  case SelectorWord::Kind::service:
    return s_.services[static_cast<std::size_t>(w.index)].node_index == node;
  }
  return false;
}

const std::vector<Index>& NodeSelector::candidates(const SelectorWord& w, std::vector<Index>& scratch) const
{
  switch (w.kind) {
  case SelectorWord::Kind::all:
    return all_;
  case SelectorWord::Kind::node:
    scratch.assign(1, w.index);
    return scratch;
  case SelectorWord::Kind::site:
  case SelectorWord::Kind::zone:
    return by_site_[static_cast<std::size_t>(w.index)];
  case SelectorWord::Kind::kind:
    return by_kind_[static_cast<std::size_t>(w.node_kind)];
  case SelectorWord::Kind::team:
    return s_.teams[static_cast<std::size_t>(w.index)].asset_nodes;
  case SelectorWord::Kind::tag: {
    auto it = by_tag_.find(w.value);
    return it == by_tag_.end() ? empty_ : it->second;
  }
  case SelectorWord::Kind::service: {
    const Index n = s_.services[static_cast<std::size_t>(w.index)].node_index;
    if (n == NO_INDEX)
      scratch.clear();
    else
      scratch.assign(1, n);
    return scratch;
  }
  }
  return empty_;
}

std::vector<Index> NodeSelector::select(const std::vector<SelectorWord>& words) const
{
  // Start from the smallest candidate list, then keep what matches every word.
  std::vector<Index> scratch;
  const std::vector<Index>* best = &all_;
  std::vector<Index> best_copy;
  for (const SelectorWord& w : words) {
    const std::vector<Index>& c = candidates(w, scratch);
    if (c.size() < best->size()) {
      best_copy = c;
      best = &best_copy;
    }
  }
  std::vector<Index> out;
  for (Index i : *best) {
    bool ok = true;
    for (const SelectorWord& w : words)
      if (!matches(i, w)) {
        ok = false;
        break;
      }
    if (ok)
      out.push_back(i);
  }
  return out;
}

} // namespace cyberex::scenario_impl

namespace cyberex {

std::vector<Index> select_nodes(const Scenario& scenario, const std::string& selector)
{
  scenario_impl::SelectorError error;
  auto words = scenario_impl::parse_selector(scenario, selector, error);
  if (!words)
    return {};
  return scenario_impl::NodeSelector(scenario).select(*words);
}

} // namespace cyberex

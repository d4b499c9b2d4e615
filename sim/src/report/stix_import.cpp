/* `cyberex import stix`: a STIX 2.1 bundle to a scenario fragment (docs/interchange.md, "STIX 2.1 import"): the
 * indicators, and per campaign a skeleton of ATT&CK steps in kill-chain order whose targets the planner fills in.
 * Everything the fragment cannot hold is reported, never dropped silently. */
#include "report/stix.hpp"

#include "cyberex/attack_catalog.hpp"
#include "scenario/json_source.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <map>
#include <set>

namespace cyberex::stix {
namespace {

using nlohmann::json;
using Ordered = nlohmann::ordered_json;

/// What a planner must replace: a selector no scenario has and a duration that is none, which `cyberex validate`
/// names, step by step (docs/interchange.md, "What is left to fill").
constexpr const char* TARGET_PLACEHOLDER = "node:FILL-IN-target";
constexpr const char* DURATION_PLACEHOLDER = "FILL-IN-duration";

/// The ATT&CK matrices' tactic order (the kill chain), Enterprise then ICS.
const std::vector<std::string>& kill_chain()
{
  static const std::vector<std::string> order{"reconnaissance",
                                              "resource-development",
                                              "initial-access",
                                              "execution",
                                              "persistence",
                                              "privilege-escalation",
                                              "defense-evasion",
                                              "evasion",
                                              "credential-access",
                                              "discovery",
                                              "lateral-movement",
                                              "collection",
                                              "command-and-control",
                                              "exfiltration",
                                              "inhibit-response-function",
                                              "impair-process-control",
                                              "impact"};
  return order;
}

std::size_t tactic_rank(const std::string& tactic)
{
  const auto& order = kill_chain();
  const auto it = std::find(order.begin(), order.end(), tactic);
  return it == order.end() ? order.size() : static_cast<std::size_t>(it - order.begin());
}

/// A scenario id from a STIX name: letters, digits, '-', '_' and '.' kept, anything else a '-'.
std::string scenario_id(const std::string& s)
{
  std::string out;
  for (char c : s) {
    const bool keep = std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.';
    if (keep)
      out += c;
    else if (!out.empty() && out.back() != '-')
      out += '-';
  }
  while (!out.empty() && out.back() == '-')
    out.pop_back();
  return out;
}

bool valid_stix_id(const std::string& id, const std::string& type)
{
  if (id.rfind(type + "--", 0) != 0)
    return false;
  const std::string uuid = id.substr(type.size() + 2);
  if (uuid.size() != 36)
    return false;
  for (std::size_t i = 0; i < uuid.size(); ++i) {
    const bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash != (uuid[i] == '-'))
      return false;
    if (!dash && !std::isxdigit(static_cast<unsigned char>(uuid[i])))
      return false;
  }
  return true;
}

std::string string_of(const json& o, const char* key)
{
  const auto it = o.find(key);
  return it != o.end() && it->is_string() ? it->get<std::string>() : std::string();
}

struct Reader {
  std::string path;
  std::string text;
  Import result;
  struct Pending {
    Diagnostic::Severity severity;
    std::string code, pointer, message;
    std::size_t extra_columns = 0; ///< added to the value's column (a pattern's character)
  };
  std::vector<Pending> pending;

  void error(std::string code, std::string pointer, std::string message, std::size_t extra = 0)
  {
    pending.push_back({Diagnostic::Severity::error, std::move(code), std::move(pointer), std::move(message), extra});
  }
  void warning(std::string code, std::string pointer, std::string message)
  {
    pending.push_back({Diagnostic::Severity::warning, std::move(code), std::move(pointer), std::move(message), 0});
  }
  void not_mapped(const std::string& pointer, const std::string& message)
  {
    result.unmapped.push_back("(" + pointer + ") " + message);
    warning("stix.not-mapped", pointer, message);
  }

  /// Positions of the pending diagnostics, then into result.diagnostics.
  void flush()
  {
    std::map<std::string, json_source::Location> wanted;
    for (const auto& p : pending)
      wanted[p.pointer];
    json_source::locate(text, wanted);
    std::vector<std::size_t> offsets;
    for (const auto& p : pending) {
      const auto& l = wanted[p.pointer];
      const std::size_t at = l.value != std::string::npos ? l.value : l.key;
      // a pattern's character: one past the string's opening quote (exact while the pattern has no JSON escapes)
      offsets.push_back(at == std::string::npos ? 0 : at + (p.extra_columns > 0 ? p.extra_columns : 0));
    }
    const auto positions = json_source::positions(text, offsets);
    for (std::size_t i = 0; i < pending.size(); ++i) {
      Diagnostic d;
      d.severity = pending[i].severity;
      d.file = path;
      d.line = positions[i].line;
      d.column = positions[i].column;
      d.code = pending[i].code;
      d.pointer = pending[i].pointer;
      d.message = pending[i].message;
      result.diagnostics.add(std::move(d));
    }
    pending.clear();
  }
};

struct Campaign {
  std::string stix_id;
  std::string id, name, description;
  std::string pointer;
  std::vector<std::string> actors;
  std::vector<std::string> techniques;                     ///< distinct, in the order the bundle names them
  std::vector<std::string> indicators;                     ///< fragment ids of the indicators that indicate it
  std::vector<std::string> targets;                        ///< names of the identities it targets
  std::map<std::string, std::vector<std::string>> tactics; ///< attack-pattern id -> tactics its "uses" names
};

struct AttackPattern {
  std::string technique;
  std::vector<std::string> tactics; ///< kill_chain_phases of the object
};

} // namespace

Import import_bundle(const std::string& path, std::string text, const std::string& prefix)
{
  Reader rd;
  rd.path = path;
  json_source::Limits limits;
  auto doc = json_source::parse(path, text, limits, rd.result.diagnostics);
  if (!doc)
    return std::move(rd.result);
  rd.text = std::move(doc->text);
  const json& root = doc->root;

  if (!root.is_object() || string_of(root, "type") != "bundle") {
    rd.error("stix.not-a-bundle", root.is_object() && root.contains("type") ? "/type" : "",
             "expected a STIX 2.1 bundle: an object with \"type\": \"bundle\" and its \"objects\"");
    rd.flush();
    return std::move(rd.result);
  }
  const auto objects_it = root.find("objects");
  if (objects_it == root.end() || !objects_it->is_array()) {
    rd.error("stix.not-a-bundle", objects_it == root.end() ? "" : "/objects",
             objects_it == root.end() ? "the bundle has no \"objects\"; expected an array of STIX objects"
                                      : "\"objects\" must be an array of STIX objects");
    rd.flush();
    return std::move(rd.result);
  }
  const json& objects = *objects_it;

  // first pass: every object has a type and an id; index them
  std::map<std::string, std::size_t> by_id;
  for (std::size_t i = 0; i < objects.size(); ++i) {
    const std::string ptr = "/objects/" + std::to_string(i);
    const json& o = objects[i];
    if (!o.is_object()) {
      rd.error("stix.object", ptr, "expected a STIX object (a JSON object with \"type\" and \"id\")");
      continue;
    }
    const auto type = o.find("type");
    if (type == o.end() || !type->is_string() || type->get<std::string>().empty()) {
      rd.error("stix.object", type == o.end() ? ptr : ptr + "/type",
               type == o.end() ? "the object has no \"type\"" : "\"type\" must be a non-empty string");
      continue;
    }
    const auto id = o.find("id");
    if (id == o.end() || !id->is_string()) {
      rd.error("stix.object", id == o.end() ? ptr : ptr + "/id",
               id == o.end() ? "the object has no \"id\"" : "\"id\" must be a string");
      continue;
    }
    if (!valid_stix_id(id->get<std::string>(), type->get<std::string>())) {
      rd.error("stix.object", ptr + "/id",
               "expected an id \"" + type->get<std::string>() + "--\" followed by a UUID; got \"" +
                   id->get<std::string>() + "\"");
      continue;
    }
    if (!by_id.emplace(id->get<std::string>(), i).second)
      rd.error("stix.duplicate-id", ptr + "/id",
               "id \"" + id->get<std::string>() + "\" is already the id of /objects/" +
                   std::to_string(by_id[id->get<std::string>()]));
  }

  const AttackCatalog& catalog = AttackCatalog::shipped();
  std::set<std::string> used_ids;
  const auto unique_id = [&](std::string wanted, const std::string& fallback) {
    wanted = scenario_id(wanted);
    if (wanted.empty())
      wanted = fallback;
    wanted = prefix + wanted;
    std::string id = wanted;
    for (int n = 2; !used_ids.insert(id).second; ++n)
      id = wanted + "-" + std::to_string(n);
    return id;
  };

  // second pass: what maps
  Ordered indicators = Ordered::array();
  std::map<std::string, std::string> indicator_ids; // STIX id -> fragment id
  std::map<std::string, AttackPattern> patterns;    // STIX id -> technique
  std::map<std::string, Campaign> campaigns;        // STIX id -> campaign
  std::vector<std::string> campaign_order;
  std::map<std::string, std::string> intrusion_sets;                // STIX id -> name
  std::map<std::string, std::string> identities;                    // STIX id -> name
  std::map<std::string, std::pair<std::size_t, std::string>> other; // type -> (count, first pointer)
  std::vector<std::size_t> relationships;
  for (std::size_t i = 0; i < objects.size(); ++i) {
    const json& o = objects[i];
    if (!o.is_object() || !by_id.count(string_of(o, "id")) || by_id[string_of(o, "id")] != i)
      continue;
    const std::string ptr = "/objects/" + std::to_string(i);
    const std::string type = string_of(o, "type");
    const std::string sid = string_of(o, "id");
    const std::string name = string_of(o, "name");
    const std::string cyberex_id = string_of(o, "x_cyberex_id");
    if (type == "indicator") {
      const auto pattern = o.find("pattern");
      if (pattern == o.end() || !pattern->is_string()) {
        rd.error("stix.pattern", pattern == o.end() ? ptr : ptr + "/pattern",
                 pattern == o.end() ? "the indicator has no \"pattern\"" : "\"pattern\" must be a string");
        continue;
      }
      const std::string pattern_type = string_of(o, "pattern_type");
      if (!pattern_type.empty() && pattern_type != "stix") {
        rd.not_mapped(ptr + "/pattern_type",
                      "indicator " + sid + ": pattern_type \"" + pattern_type + "\" is not mapped (only \"stix\")");
        continue;
      }
      const PatternReading r = read_pattern(pattern->get<std::string>());
      if (r.outcome == PatternReading::Outcome::malformed) {
        rd.error("stix.pattern", ptr + "/pattern",
                 "malformed STIX pattern at character " + std::to_string(r.offset + 1) + ": " + r.message,
                 r.offset + 1);
        continue;
      }
      if (r.outcome == PatternReading::Outcome::not_mapped) {
        rd.not_mapped(ptr + "/pattern",
                      "indicator " + sid + ": " + r.message + ": \"" + pattern->get<std::string>() + "\"");
        continue;
      }
      const std::string id = unique_id(!cyberex_id.empty() ? cyberex_id : name, "stix-indicator-" + std::to_string(i));
      indicator_ids[sid] = id;
      Ordered ind;
      ind["id"] = id;
      ind["type"] = to_string(r.type);
      ind["value"] = r.value;
      indicators.push_back(std::move(ind));
    } else if (type == "attack-pattern") {
      std::string technique;
      if (const auto refs = o.find("external_references"); refs != o.end() && refs->is_array())
        for (const auto& ref : *refs)
          if (ref.is_object() &&
              (string_of(ref, "source_name") == "mitre-attack" ||
               string_of(ref, "source_name") == "mitre-ics-attack") &&
              !string_of(ref, "external_id").empty()) {
            technique = string_of(ref, "external_id");
            break;
          }
      if (technique.empty()) {
        rd.not_mapped(ptr, "attack-pattern " + sid + " (\"" + name +
                               "\") has no external reference of source \"mitre-attack\" or \"mitre-ics-attack\" "
                               "with an external_id: no ATT&CK technique");
        continue;
      }
      if (!catalog.find(technique)) {
        rd.not_mapped(ptr + "/external_references",
                      "attack-pattern " + sid + ": technique " + technique + " is not in the shipped ATT&CK catalog");
        continue;
      }
      AttackPattern ap{technique, {}};
      if (const auto phases = o.find("kill_chain_phases"); phases != o.end() && phases->is_array())
        for (const auto& ph : *phases)
          if (ph.is_object())
            ap.tactics.push_back(string_of(ph, "phase_name"));
      patterns[sid] = ap;
    } else if (type == "campaign") {
      Campaign c;
      c.stix_id = sid;
      c.pointer = ptr;
      c.name = name;
      c.description = string_of(o, "description");
      c.id = unique_id(!cyberex_id.empty() ? cyberex_id : name, "stix-campaign-" + std::to_string(i));
      campaigns[sid] = c;
      campaign_order.push_back(sid);
    } else if (type == "intrusion-set") {
      intrusion_sets[sid] = name;
    } else if (type == "identity") {
      identities[sid] = name;
      auto& [count, first] = other[type];
      if (count++ == 0)
        first = ptr;
    } else if (type == "relationship") {
      relationships.push_back(i);
    } else {
      auto& [count, first] = other[type];
      if (count++ == 0)
        first = ptr;
    }
  }

  // relationships: uses, indicates, attributed-to, targets of campaigns
  std::set<std::string> attributed;
  std::map<std::string, std::pair<std::size_t, std::string>> other_relationships; // "type" -> count, first
  for (std::size_t i : relationships) {
    const json& o = objects[i];
    const std::string ptr = "/objects/" + std::to_string(i);
    const std::string type = string_of(o, "relationship_type");
    const std::string source = string_of(o, "source_ref"), target = string_of(o, "target_ref");
    for (const auto& [key, ref] : {std::pair{"source_ref", source}, std::pair{"target_ref", target}})
      if (!by_id.count(ref))
        rd.warning("stix.dangling-ref", ptr + "/" + key,
                   ref.empty() ? std::string("the relationship has no ") + key
                               : std::string(key) + " \"" + ref + "\" names no object of the bundle");
    bool mapped = false;
    if (type == "uses" && campaigns.count(source) && patterns.count(target)) {
      auto& list = campaigns[source].techniques;
      if (std::find(list.begin(), list.end(), target) == list.end())
        list.push_back(target);
      // the tactics cyberex's export names for the campaign's use of the technique (x_cyberex_tactics)
      if (const auto t = o.find("x_cyberex_tactics"); t != o.end() && t->is_array())
        for (const auto& tactic : *t)
          if (tactic.is_string())
            campaigns[source].tactics[target].push_back(tactic.get<std::string>());
      mapped = true;
    } else if (type == "indicates" && indicator_ids.count(source) && campaigns.count(target)) {
      campaigns[target].indicators.push_back(indicator_ids[source]);
      mapped = true;
    } else if (type == "attributed-to" && campaigns.count(source) && intrusion_sets.count(target)) {
      campaigns[source].actors.push_back(intrusion_sets[target]);
      attributed.insert(target);
      mapped = true;
    } else if (type == "targets" && campaigns.count(source) && identities.count(target)) {
      campaigns[source].targets.push_back(identities[target]);
      mapped = true;
    }
    if (!mapped) {
      const std::string what = type + " (" + (by_id.count(source) ? string_of(objects[by_id[source]], "type") : "?") +
                               " to " + (by_id.count(target) ? string_of(objects[by_id[target]], "type") : "?") + ")";
      auto& [count, first] = other_relationships[what];
      if (count++ == 0)
        first = ptr;
    }
  }
  for (const auto& [sid, name] : intrusion_sets)
    if (!attributed.count(sid))
      rd.not_mapped("/objects/" + std::to_string(by_id[sid]),
                    "intrusion-set " + sid + " (\"" + name + "\") is attributed no campaign: no actor to set");

  // the object types and relationships the fragment cannot hold, one line per kind
  for (const auto& [type, seen] : other) {
    const char* why = type == "identity"           ? "a scenario's organisations and teams are not imported"
                      : type == "sighting"         ? "sightings are an exercise's outcome, not a scenario's"
                      : type == "course-of-action" ? "the teams' actions are not part of a scenario"
                                                   : "the scenario format has no such object";
    rd.not_mapped(seen.second, std::to_string(seen.first) + " " + type + " object" + (seen.first == 1 ? "" : "s") +
                                   " not mapped: " + why);
  }
  for (const auto& [what, seen] : other_relationships)
    rd.not_mapped(seen.second, std::to_string(seen.first) + " relationship" + (seen.first == 1 ? "" : "s") + " " +
                                   what + " not mapped");

  if (rd.result.diagnostics.has_errors() || std::any_of(rd.pending.begin(), rd.pending.end(), [](const auto& p) {
        return p.severity == Diagnostic::Severity::error;
      })) {
    rd.flush();
    return std::move(rd.result);
  }

  // the fragment
  Ordered fragment;
  fragment["cyberex"] = 1;
  fragment["indicators"] = indicators;
  Ordered list = Ordered::array();
  for (const auto& sid : campaign_order) {
    Campaign& c = campaigns[sid];
    Ordered camp;
    camp["id"] = c.id;
    camp["name"] = c.name.empty() ? c.id : c.name;
    std::sort(c.actors.begin(), c.actors.end());
    std::string actors;
    for (const auto& a : c.actors)
      actors += (actors.empty() ? "" : ", ") + a;
    if (!actors.empty())
      camp["actor"] = actors;
    // the bundle's description, then in brackets what the planner must fill in and what the bundle said besides
    std::vector<std::string> notes{"imported from STIX campaign " + c.stix_id +
                                   ": fill in each step's \"target\" and " + "\"duration\" (placeholders \"" +
                                   TARGET_PLACEHOLDER + "\" and \"" + DURATION_PLACEHOLDER +
                                   "\"), its \"effect\" and \"source\""};
    const auto joined = [](const std::vector<std::string>& items) {
      std::string out;
      for (const auto& i : items)
        out += (out.empty() ? "" : ", ") + i;
      return out;
    };
    if (!c.indicators.empty())
      notes.push_back("attach its indicators to the steps that leave them or to its C2: " + joined(c.indicators));
    if (!c.targets.empty())
      notes.push_back("it targets: " + joined(c.targets));
    std::string description = c.description.empty() ? "[" : c.description + " [";
    for (std::size_t i = 0; i < notes.size(); ++i)
      description += (i ? "; " : "") + notes[i];
    description += "]";
    camp["description"] = description;

    struct StepDraft {
      std::string technique, tactic;
      std::size_t rank;
    };
    std::vector<StepDraft> drafts;
    for (const auto& pid : c.techniques) {
      const AttackPattern& ap = patterns[pid];
      const std::vector<std::string> known = catalog.tactics_of(ap.technique);
      // the campaign's tactic for it (x_cyberex_tactics), else the attack pattern's phase, when the catalog agrees;
      // else the technique's earliest tactic in the kill chain
      std::string tactic;
      for (const auto& t : c.tactics[pid])
        if (std::find(known.begin(), known.end(), t) != known.end() &&
            (tactic.empty() || tactic_rank(t) < tactic_rank(tactic)))
          tactic = t;
      if (tactic.empty())
        for (const auto& t : ap.tactics)
          if (std::find(known.begin(), known.end(), t) != known.end() &&
              (tactic.empty() || tactic_rank(t) < tactic_rank(tactic)))
            tactic = t;
      if (tactic.empty())
        for (const auto& t : known)
          if (tactic.empty() || tactic_rank(t) < tactic_rank(tactic))
            tactic = t;
      drafts.push_back({ap.technique, tactic, tactic_rank(tactic)});
    }
    std::stable_sort(drafts.begin(), drafts.end(), [](const StepDraft& a, const StepDraft& b) {
      return a.rank != b.rank ? a.rank < b.rank : a.technique < b.technique;
    });
    Ordered steps = Ordered::array();
    for (const auto& d : drafts) {
      Ordered st;
      std::string sid_text = d.technique;
      std::transform(sid_text.begin(), sid_text.end(), sid_text.begin(),
                     [](unsigned char ch) { return ch == '.' ? '-' : static_cast<char>(std::tolower(ch)); });
      st["id"] = sid_text;
      st["technique"] = d.technique;
      if (!d.tactic.empty())
        st["tactic"] = d.tactic;
      st["target"] = TARGET_PLACEHOLDER;
      st["duration"] = DURATION_PLACEHOLDER;
      steps.push_back(std::move(st));
      ++rd.result.steps;
    }
    camp["steps"] = std::move(steps);
    list.push_back(std::move(camp));
    ++rd.result.campaigns;
  }
  if (!list.empty()) {
    Ordered adversary;
    adversary["campaigns"] = std::move(list);
    fragment["adversary"] = std::move(adversary);
  }
  rd.result.indicators = static_cast<int>(indicators.size());
  rd.result.fragment = fragment.dump(2) + "\n";
  rd.flush();
  return std::move(rd.result);
}

} // namespace cyberex::stix

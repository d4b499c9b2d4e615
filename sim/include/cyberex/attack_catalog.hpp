/* The MITRE ATT&CK catalog (Enterprise and ICS) shipped in data/attack/. */
#pragma once

#include <map>
#include <string>
#include <vector>

namespace cyberex {

struct Technique {
  std::string id;
  std::string name;
  std::string domain;               ///< "enterprise" or "ics"
  std::vector<std::string> tactics; ///< shortnames, e.g. "lateral-movement"
  std::vector<std::string> mitigations;
};

struct Tactic {
  std::string id;        ///< TA0008
  std::string name;      ///< Lateral Movement
  std::string shortname; ///< lateral-movement
  std::string domain;
};

class AttackCatalog {
public:
  /// Load from a JSON file in the shipped format; throws std::runtime_error with a clear message on failure.
  static AttackCatalog load(const std::string& path);
  /// The shipped catalog (cached after the first call).
  static const AttackCatalog& shipped();

  const Technique* find(const std::string& id) const;
  /// The tactics (shortnames) of a technique id; empty if the catalog does not know it (what
  /// SimulationOptions::technique_tactics expects).
  std::vector<std::string> tactics_of(const std::string& id) const;
  bool is_tactic(const std::string& shortname) const;
  const std::map<std::string, Technique>& techniques() const { return techniques_; }
  const std::vector<Tactic>& tactics() const { return tactics_; }
  /// The ATT&CK release the catalog was extracted from ("18"; "" when the file does not say).
  const std::string& version() const { return version_; }

private:
  std::string version_;
  std::map<std::string, Technique> techniques_;
  std::vector<Tactic> tactics_;
};

/// Path of the shipped catalog: $CYBEREX_DATA/attack/attack-catalog.json, else the build's data directory.
std::string attack_catalog_path();

} // namespace cyberex

#include "cyberex/attack_catalog.hpp"

#include <nlohmann/json.hpp>

#include <cstdlib>
#include <fstream>
#include <mutex>
#include <sstream>
#include <stdexcept>

namespace cyberex {

AttackCatalog AttackCatalog::load(const std::string& path)
{
  std::ifstream in(path, std::ios::binary);
  if (!in)
    throw std::runtime_error("cannot open the ATT&CK catalog '" + path +
                             "' (set CYBEREX_DATA to the directory that holds attack/attack-catalog.json)");
  std::ostringstream text;
  text << in.rdbuf();
  AttackCatalog catalog;
  try {
    const auto root = nlohmann::json::parse(text.str());
    if (root.contains("attack_version"))
      catalog.version_ = root.at("attack_version").get<std::string>();
    for (const auto& [domain, body] : root.at("domains").items()) {
      for (const auto& t : body.at("tactics"))
        catalog.tactics_.push_back(Tactic{t.at("id").get<std::string>(), t.at("name").get<std::string>(),
                                          t.at("shortname").get<std::string>(), domain});
      for (const auto& t : body.at("techniques")) {
        Technique tech;
        tech.id = t.at("id").get<std::string>();
        tech.name = t.at("name").get<std::string>();
        tech.domain = domain;
        tech.tactics = t.at("tactics").get<std::vector<std::string>>();
        if (t.contains("mitigations"))
          tech.mitigations = t.at("mitigations").get<std::vector<std::string>>();
        catalog.techniques_.emplace(tech.id, std::move(tech));
      }
    }
  } catch (const nlohmann::json::exception& e) {
    throw std::runtime_error("the ATT&CK catalog '" + path + "' is not in the shipped format: " + e.what());
  }
  return catalog;
}

const AttackCatalog& AttackCatalog::shipped()
{
  static const AttackCatalog catalog = load(attack_catalog_path());
  return catalog;
}

const Technique* AttackCatalog::find(const std::string& id) const
{
  auto it = techniques_.find(id);
  return it == techniques_.end() ? nullptr : &it->second;
}

std::vector<std::string> AttackCatalog::tactics_of(const std::string& id) const
{
  const Technique* t = find(id);
  return t ? t->tactics : std::vector<std::string>{};
}

bool AttackCatalog::is_tactic(const std::string& shortname) const
{
  for (const auto& t : tactics_)
    if (t.shortname == shortname)
      return true;
  return false;
}

std::string attack_catalog_path()
{
  if (const char* dir = std::getenv("CYBEREX_DATA"); dir && *dir)
    return std::string(dir) + "/attack/attack-catalog.json";
  return std::string(CYBEREX_DATA_DIR) + "/attack/attack-catalog.json";
}

} // namespace cyberex

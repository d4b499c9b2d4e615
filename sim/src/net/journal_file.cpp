/* The drill journal file (header line + JournalRecord lines) and the tokens file, read back for recovery. */
#include "cyberex/net.hpp"

#include <nlohmann/json.hpp>

#include <cinttypes>
#include <cstdio>
#include <fstream>
#include <sstream>

namespace cyberex::net {

using Json = nlohmann::ordered_json;

std::string JournalHeader::to_json() const
{
  Json j;
  j["cyberex_journal"] = format;
  j["scenario"] = scenario;
  j["scenario_hash"] = scenario_hash;
  j["seed"] = seed;
  j["version"] = version;
  return j.dump();
}

std::optional<JournalHeader> JournalHeader::from_json(const std::string& line, std::string* error)
{
  auto fail = [&](const std::string& m) -> std::optional<JournalHeader> {
    if (error)
      *error = m;
    return std::nullopt;
  };
  Json j = Json::parse(line, nullptr, false);
  if (j.is_discarded() || !j.is_object())
    return fail("the first line is not a JSON object: not a cyberex drill journal");
  if (!j.contains("cyberex_journal") || !j["cyberex_journal"].is_number_integer())
    return fail("(/cyberex_journal) missing: not a cyberex drill journal");
  JournalHeader h;
  h.format = j["cyberex_journal"].get<int>();
  if (h.format != 1)
    return fail("(/cyberex_journal) journal format " + std::to_string(h.format) + "; this cyberex reads format 1");
  for (const char* key : {"scenario", "scenario_hash", "version"})
    if (!j.contains(key) || !j[key].is_string())
      return fail(std::string("(/") + key + ") expected a string");
  if (!j.contains("seed") || !j["seed"].is_number_unsigned())
    return fail("(/seed) expected an unsigned integer");
  h.scenario = j["scenario"].get<std::string>();
  h.scenario_hash = j["scenario_hash"].get<std::string>();
  h.seed = j["seed"].get<std::uint64_t>();
  h.version = j["version"].get<std::string>();
  return h;
}

std::optional<std::string> file_hash(const std::string& path)
{
  std::ifstream in(path, std::ios::binary);
  if (!in)
    return std::nullopt;
  std::uint64_t h = 0xcbf29ce484222325ull;
  char buf[65536];
  while (in) {
    in.read(buf, sizeof buf);
    const std::streamsize n = in.gcount();
    for (std::streamsize i = 0; i < n; ++i) {
      h ^= static_cast<unsigned char>(buf[i]);
      h *= 0x100000001b3ull;
    }
  }
  char out[32];
  std::snprintf(out, sizeof out, "fnv1a64:%016" PRIx64, h);
  return std::string(out);
}

std::optional<JournalContents> read_journal(const std::string& path, std::string* error)
{
  auto fail = [&](const std::string& m) -> std::optional<JournalContents> {
    if (error)
      *error = m;
    return std::nullopt;
  };
  std::ifstream in(path, std::ios::binary);
  if (!in)
    return fail(path + ": cannot read the journal");
  std::stringstream ss;
  ss << in.rdbuf();
  const std::string text = ss.str();
  JournalContents out;
  std::size_t pos = 0;
  int line_no = 0;
  bool have_header = false;
  while (pos < text.size()) {
    const std::size_t nl = text.find('\n', pos);
    ++line_no;
    const bool torn = nl == std::string::npos;
    const std::string line = text.substr(pos, torn ? std::string::npos : nl - pos);
    const std::string where = path + ":" + std::to_string(line_no) + ": ";
    const bool last = torn || nl + 1 == text.size();
    if (!have_header) {
      if (torn)
        return fail(where + "the header line is incomplete (no newline): the journal was cut while being created");
      std::string e;
      auto h = JournalHeader::from_json(line, &e);
      if (!h)
        return fail(where + e);
      out.header = *h;
      have_header = true;
    } else {
      std::string e;
      auto r = torn ? std::nullopt : JournalRecord::from_json(line, &e);
      if (!r) {
        if (last) {
          out.warnings.push_back(where + "dropped a torn last record (" +
                                 (torn ? std::string("no newline: the server stopped while writing it") : e) +
                                 "); it was never acknowledged");
          break;
        }
        return fail(where + e);
      }
      const std::uint64_t expected = out.records.empty() ? 1 : out.records.back().index + 1;
      if (r->index != expected)
        return fail(where + "(/index) expected record " + std::to_string(expected) + ", got " +
                    std::to_string(r->index));
      out.records.push_back(std::move(*r));
    }
    pos = nl + 1;
    out.valid_bytes = pos;
  }
  if (!have_header)
    return fail(path + ": the journal is empty (no header line)");
  return out;
}

std::string principal_label(const Principal& who)
{
  if (who.role == Role::player)
    return "player:" + who.team;
  return to_string(who.role);
}

std::optional<std::vector<TokenEntry>> read_tokens(const std::string& path, std::string* error)
{
  std::ifstream in(path);
  if (!in) {
    if (error)
      *error = path + ": cannot read the tokens file";
    return std::nullopt;
  }
  std::vector<TokenEntry> out;
  std::string line;
  int line_no = 0;
  while (std::getline(in, line)) {
    ++line_no;
    if (line.empty() || line[0] == '#')
      continue;
    std::istringstream ls(line);
    std::string label, token, extra;
    ls >> label >> token;
    const bool bad_token = token.size() != 64 || token.find_first_not_of("0123456789abcdef") != std::string::npos;
    if (label.empty() || bad_token || (ls >> extra)) {
      if (error)
        *error = path + ":" + std::to_string(line_no) + ": expected 'LABEL TOKEN' with a token of 64 hex digits";
      return std::nullopt;
    }
    TokenEntry e;
    e.token = token;
    if (label.rfind("player:", 0) == 0 && label.size() > 7) {
      e.who = {Role::player, label.substr(7)};
    } else if (auto r = role_from_string(label); r && *r != Role::player) {
      e.who = {*r, ""};
    } else {
      if (error)
        *error = path + ":" + std::to_string(line_no) + ": unknown principal '" + label +
                 "'; expected controller, evaluator, observer or player:TEAM";
      return std::nullopt;
    }
    out.push_back(std::move(e));
  }
  return out;
}

} // namespace cyberex::net

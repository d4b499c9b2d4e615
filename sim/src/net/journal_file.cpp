/* The tokens file of the drill server, read back for recovery (the journal itself is in sim/src/journal/). */
#include "cyberex/net.hpp"

#include <fstream>
#include <sstream>

namespace cyberex::net {

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
    if (auto who = principal_from_label(label)) {
      e.who = *who;
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

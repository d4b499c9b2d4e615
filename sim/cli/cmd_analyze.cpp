#include "commands.hpp"

#include <cstdio>

namespace cyberex::cli {

int cmd_analyze(const Args&)
{
  std::fprintf(stderr, "cyberex analyze: not built yet\n");
  return 1;
}

} // namespace cyberex::cli

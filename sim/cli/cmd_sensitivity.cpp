/* cyberex sensitivity SCENARIO --play FILE: which scripted response matters most (issue 17). Not written yet. */
#include "commands.hpp"

#include <cstdio>

namespace cyberex::cli {

int cmd_sensitivity(const Args&)
{
  std::fprintf(stderr, "cyberex sensitivity: not implemented yet\n");
  return 1;
}

} // namespace cyberex::cli

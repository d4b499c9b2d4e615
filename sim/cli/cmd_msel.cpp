/* cyberex msel (placeholder until issue 16's work on it lands). */
#include "commands.hpp"

#include <cstdio>

namespace cyberex::cli {

int cmd_msel(const Args&)
{
  std::fprintf(stderr, "cyberex msel: not available in this build\n");
  return 1;
}

} // namespace cyberex::cli

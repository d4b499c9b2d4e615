/* cyberex import (placeholder until issue 16's work on it lands). */
#include "commands.hpp"

#include <cstdio>

namespace cyberex::cli {

int cmd_import(const Args&)
{
  std::fprintf(stderr, "cyberex import: not available in this build\n");
  return 1;
}

} // namespace cyberex::cli

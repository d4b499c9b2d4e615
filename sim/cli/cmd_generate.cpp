#include "commands.hpp"

#include <cstdio>

namespace cyberex::cli {

int cmd_generate(const Args&)
{
  std::fprintf(stderr, "cyberex generate: not built yet\n");
  return 1;
}

} // namespace cyberex::cli

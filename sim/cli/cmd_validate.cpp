#include "commands.hpp"

#include <cstdio>

namespace cyberex::cli {

int cmd_validate(const Args&)
{
  std::fprintf(stderr, "cyberex validate: not built yet\n");
  return 1;
}

} // namespace cyberex::cli

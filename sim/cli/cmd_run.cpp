#include "commands.hpp"

#include <cstdio>

namespace cyberex::cli {

int cmd_run(const Args&)
{
  std::fprintf(stderr, "cyberex run: not built yet\n");
  return 1;
}

} // namespace cyberex::cli

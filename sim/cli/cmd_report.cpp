/* cyberex report: placeholder until its implementation lands (exits with status 1 and says so). */
#include "commands.hpp"

#include <cstdio>

namespace cyberex::cli {

int cmd_report(const Args& /*args*/)
{
  std::fprintf(stderr, "cyberex report: not available in this build yet\n");
  return 1;
}

} // namespace cyberex::cli

/* cyberex whatif: placeholder until its implementation lands (exits with status 1 and says so). */
#include "commands.hpp"

#include <cstdio>

namespace cyberex::cli {

int cmd_whatif(const Args& /*args*/)
{
  std::fprintf(stderr, "cyberex whatif: not available in this build yet\n");
  return 1;
}

} // namespace cyberex::cli

/* cyberex play: placeholder until its implementation lands (exits with status 1 and says so). */
#include "commands.hpp"

#include <cstdio>

namespace cyberex::cli {

int cmd_play(const Args& /*args*/)
{
  std::fprintf(stderr, "cyberex play: not available in this build yet\n");
  return 1;
}

} // namespace cyberex::cli

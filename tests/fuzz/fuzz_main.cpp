/* The libFuzzer driver of one target: CYBEREX_FUZZ_TARGET names it (tests/fuzz/CMakeLists.txt builds one fuzzer per
 * target). */
#include "support.hpp"
#include "targets.hpp"

#include <vector>

namespace {

const cyberex::fuzz::Target& target()
{
  static const cyberex::fuzz::Target* t = cyberex::fuzz::find_target(CYBEREX_FUZZ_TARGET);
  if (!t)
    cyberex::fuzz::fail("no fuzz target called " CYBEREX_FUZZ_TARGET);
  return *t;
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int* argc, char*** argv)
{
  if (target().forks) {
    // libFuzzer reads its flags after this function: no RSS thread (-rss_limit_mb=0, the later flag wins), and a
    // bound on single allocations instead (malloc hooks, in the fuzzing thread)
    static std::vector<char*> args;
    static char no_rss_thread[] = "-rss_limit_mb=0";
    static char malloc_limit[] = "-malloc_limit_mb=4096";
    args.assign(*argv, *argv + *argc);
    args.push_back(no_rss_thread);
    args.push_back(malloc_limit);
    args.push_back(nullptr);
    *argc = static_cast<int>(args.size()) - 1;
    *argv = args.data();
  }
  if (target().initialize)
    target().initialize();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
  return target().run(data, size);
}

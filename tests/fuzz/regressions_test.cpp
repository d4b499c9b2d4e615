/* Suite fuzz-regressions (quick, any compiler): every input kept under tests/fuzz/regressions/<target>/ (each one
 * crashed a fuzz target once, docs/robustness.md) and every seed under tests/fuzz/seeds/<target>/ runs again through
 * the same target function the fuzzer calls, each in a child process of its own, so that a crash, a sanitizer report
 * or a failed oracle fails the test and names the file. */
#include "support.hpp"
#include "targets.hpp"

#include <doctest/doctest.h>

#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>
#include <string>
#include <vector>

namespace fs = std::filesystem;

namespace {

/// Runs `body` in a forked child; the child's exit status (-1: killed by a signal).
int status_in_child(const std::function<void()>& body)
{
  std::fflush(stdout);
  std::fflush(stderr);
  const pid_t pid = fork();
  if (pid == 0) {
    // the test framework's crash handlers would report the child's abort as this test's crash: let it die plainly
    for (int sig : {SIGABRT, SIGSEGV, SIGBUS, SIGFPE, SIGILL})
      std::signal(sig, SIG_DFL);
    body();
    std::fflush(stdout);
    _exit(0);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

std::vector<fs::path> inputs_of(const std::string& target)
{
  std::vector<fs::path> out;
  for (const char* kind : {"regressions", "seeds"}) {
    const fs::path dir = fs::path(CYBEREX_SOURCE_DIR) / "tests" / "fuzz" / kind / target;
    if (!fs::is_directory(dir))
      continue;
    for (const auto& e : fs::directory_iterator(dir))
      if (e.is_regular_file() && e.path().filename().string()[0] != '.')
        out.push_back(e.path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::string read_bytes(const fs::path& p)
{
  std::ifstream in(p, std::ios::binary);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

void replay(const std::string& name)
{
  const cyberex::fuzz::Target* t = cyberex::fuzz::find_target(name);
  REQUIRE(t != nullptr);
  const auto inputs = inputs_of(name);
  // every target has seeds: a target without inputs here would test nothing
  REQUIRE_MESSAGE(!inputs.empty(), "no seeds or regression inputs for target " << name);
  for (const fs::path& p : inputs) {
    const std::string bytes = read_bytes(p);
    const int status = status_in_child([&] {
      if (t->initialize)
        t->initialize();
      t->run(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size());
    });
    CHECK_MESSAGE(status == 0, "fuzz target " << name << " fails on " << p.string());
  }
}

} // namespace

TEST_SUITE("fuzz-regressions")
{
  TEST_CASE("scenario")
  {
    replay("scenario");
  }
  TEST_CASE("graphml")
  {
    replay("graphml");
  }
  TEST_CASE("journal")
  {
    replay("journal");
  }
  TEST_CASE("session")
  {
    replay("session");
  }
  TEST_CASE("script")
  {
    replay("script");
  }
  TEST_CASE("play")
  {
    replay("play");
  }
  TEST_CASE("world")
  {
    replay("world");
  }
  TEST_CASE("matpower")
  {
    replay("matpower");
  }
  TEST_CASE("a failing oracle fails the replay")
  {
    CHECK(status_in_child([] { cyberex::fuzz::fail("deliberate"); }) != 0);
  }
}

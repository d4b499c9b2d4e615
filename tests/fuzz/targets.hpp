/* The fuzz targets (docs/robustness.md). Each target is a plain function over bytes, so that the libFuzzer drivers
 * (fuzz_main.cpp, clang with CYBEREX_FUZZ) and the regression suite of the normal build (regressions_test.cpp, any
 * compiler) run the very same code. A target aborts (after printing why) when an oracle fails; a sanitizer reports
 * memory and undefined-behaviour errors itself. */
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace cyberex::fuzz {

struct Target {
  const char* name;
  /// Called once per process before the first input (may be empty): loads what every input needs.
  void (*initialize)();
  /// Runs one input. Returns 0, or -1 to ask libFuzzer not to keep the input in its corpus.
  int (*run)(const std::uint8_t* data, std::size_t size);
  /// The target forks a child per input: the process must have no other thread (fuzz_main.cpp turns libFuzzer's
  /// RSS-watching thread off; a fork while it runs can leave the child stuck on a sanitizer allocator lock).
  bool forks = false;
};

void scenario_initialize();
int scenario_run(const std::uint8_t* data, std::size_t size);
int graphml_run(const std::uint8_t* data, std::size_t size);
void journal_initialize();
int journal_run(const std::uint8_t* data, std::size_t size);
void session_initialize();
int session_run(const std::uint8_t* data, std::size_t size);
int script_run(const std::uint8_t* data, std::size_t size);
void play_initialize();
int play_run(const std::uint8_t* data, std::size_t size);
int world_run(const std::uint8_t* data, std::size_t size);
int matpower_run(const std::uint8_t* data, std::size_t size);

/// Every target, in the order docs/robustness.md lists them.
const std::vector<Target>& targets();
/// The target called `name`, or nullptr.
const Target* find_target(const std::string& name);

} // namespace cyberex::fuzz

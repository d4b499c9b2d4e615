/* Helpers for the journal tests: run the cyberex CLI as a child process (one SimGrid engine per process), temporary
 * directories, files. */
#pragma once

#include "cli_support.hpp"

#include <doctest/doctest.h>

#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace journal_test {

using Output = cli_test::CliOutput;
using cli_test::slurp;
using cli_test::spit;

inline std::string temp_dir()
{
  return cli_test::temp_dir("journal");
}

/// Run `cyberex ARGS` (ARGS as a shell fragment); stdout and stderr captured.
inline Output run_cli(const std::string& args)
{
  return cli_test::run_cyberex(args);
}

/// Byte offsets where each line starts (and the file's size last).
inline std::vector<std::size_t> line_starts(const std::string& text)
{
  std::vector<std::size_t> v{0};
  for (std::size_t i = 0; i < text.size(); ++i)
    if (text[i] == '\n')
      v.push_back(i + 1);
  return v;
}

} // namespace journal_test

/* Helpers for the report tests: run the cyberex CLI in a child process, and play the scripted Cyber Atlantic 2011
 * drill once per test process into a journal the tests share. */
#pragma once

#include "cli_support.hpp"

#include <doctest/doctest.h>

#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>

namespace cyberex::test {

using cli_test::CliOutput;
using cli_test::slurp;
using cli_test::spit;

/// Run `cyberex ARGS` (a shell word list); stdout and stderr captured.
inline CliOutput report_cli(const std::string& args)
{
  return cli_test::run_cyberex(args);
}

/// A scratch file name for this test process.
inline std::string scratch(const std::string& name)
{
  return "/tmp/cyberex-report-test-" + std::to_string(::getpid()) + "-" + name;
}

inline const char* ca2011 = "scenarios/cyber-atlantic-2011/cyber-atlantic-2011.json";

/// The journal of `cyberex play` of Cyber Atlantic 2011 with the scripted responses and the scripted drill
/// (played once per test process). Every response and drill line must be accepted.
inline const std::string& ca2011_journal()
{
  static std::string path;
  if (path.empty()) {
    const std::string j = scratch("ca2011.jsonl");
    const CliOutput p = report_cli(std::string("play ") + ca2011 +
                                   " --play scenarios/cyber-atlantic-2011/responses.json"
                                   " --script scenarios/cyber-atlantic-2011/drill.jsonl --quiet --journal " +
                                   j);
    INFO(p.err);
    // every response and every drill line is accepted (a refused one is printed and the status is 2)
    REQUIRE(p.status == 0);
    REQUIRE(p.err.find("rejected") == std::string::npos);
    path = j;
  }
  return path;
}

} // namespace cyberex::test

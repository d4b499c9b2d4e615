/* Helpers for the report tests: run the cyberex CLI in a child process, and play the scripted Cyber Atlantic 2011
 * drill once per test process into a journal the tests share. */
#pragma once

#include <doctest/doctest.h>

#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>

namespace cyberex::test {

struct CliOutput {
  int status = -1;
  std::string out, err;
};

/// Run `cyberex ARGS` (a shell word list); stdout captured, stderr through a temporary file.
inline CliOutput report_cli(const std::string& args)
{
  const std::string err_file = "/tmp/cyberex-report-test-" + std::to_string(::getpid()) + ".err";
  const std::string cmd = std::string(CYBEREX_BINARY) + " " + args + " 2>" + err_file;
  CliOutput o;
  std::FILE* p = ::popen(cmd.c_str(), "r");
  REQUIRE(p != nullptr);
  char buf[65536];
  std::size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, p)) > 0)
    o.out.append(buf, n);
  const int st = ::pclose(p);
  o.status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
  if (std::FILE* e = std::fopen(err_file.c_str(), "r")) {
    while ((n = std::fread(buf, 1, sizeof buf, e)) > 0)
      o.err.append(buf, n);
    std::fclose(e);
  }
  std::remove(err_file.c_str());
  return o;
}

inline std::string slurp(const std::string& path)
{
  std::ifstream f(path, std::ios::binary);
  std::ostringstream s;
  s << f.rdbuf();
  return s.str();
}

inline void spit(const std::string& path, const std::string& text)
{
  std::ofstream f(path, std::ios::binary | std::ios::trunc);
  f << text;
}

/// A scratch file name for this test process.
inline std::string scratch(const std::string& name)
{
  return "/tmp/cyberex-report-test-" + std::to_string(::getpid()) + "-" + name;
}

inline const char* ca2011 = "scenarios/cyber-atlantic-2011/cyber-atlantic-2011.json";

/// The journal of `cyberex play` of Cyber Atlantic 2011 with the scripted responses and the scripted drill
/// (played once per test process). Every drill line must be accepted.
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
    // responses.json has commands the session refuses (indicators a team does not know yet); the drill has none
    REQUIRE((p.status == 0 || p.status == 2));
    REQUIRE(p.err.find("drill.jsonl:") == std::string::npos);
    path = j;
  }
  return path;
}

} // namespace cyberex::test

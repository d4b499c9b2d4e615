/* Helpers shared by the tests that drive the cyberex command in a child process (one SimGrid engine per process):
 * run it and capture what it prints, temporary directories, whole files. */
#pragma once

#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>

namespace cli_test {

struct CliOutput {
  int status = -1; ///< exit status; -1 if the process did not exit normally
  std::string out, err;
};

/// A new empty directory /tmp/cyberex-PREFIX-XXXXXX.
inline std::string temp_dir(const std::string& prefix)
{
  std::string t = "/tmp/cyberex-" + prefix + "-XXXXXX";
  if (!::mkdtemp(t.data()))
    throw std::runtime_error("mkdtemp failed");
  return t;
}

inline std::string slurp(const std::string& path)
{
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

inline void spit(const std::string& path, const std::string& text)
{
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
}

/// Run `cyberex ARGS` (ARGS as a shell fragment); stdout and stderr captured.
inline CliOutput run_cyberex(const std::string& args)
{
  const std::string dir = temp_dir("cli");
  const std::string err_file = dir + "/stderr";
  const std::string cmd = std::string(CYBEREX_BINARY) + " " + args + " 2>" + err_file;
  CliOutput o;
  std::fflush(stdout);
  std::FILE* p = ::popen(cmd.c_str(), "r");
  if (!p)
    throw std::runtime_error("popen failed");
  char buf[65536];
  std::size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, p)) > 0)
    o.out.append(buf, n);
  const int st = ::pclose(p);
  o.status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
  o.err = slurp(err_file);
  std::remove(err_file.c_str());
  ::rmdir(dir.c_str());
  return o;
}

} // namespace cli_test

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

/// This build runs under a sanitizer (CYBEREX_SANITIZE, CYBEREX_TSAN, CYBEREX_FUZZ; cmake/Sanitizers.cmake): time
/// and memory budgets do not apply.
#ifdef CYBEREX_SANITIZED
inline constexpr bool sanitized = true;
#else
inline constexpr bool sanitized = false;
#endif

/// `err` without AddressSanitizer's notice that it skipped unpoisoning a stack (printed once per process, when an
/// exception leaves code running on a SimGrid actor's stack, which ASan cannot tell apart from the thread's: Debian's
/// SimGrid does not annotate its context switches). It is the sanitizer's, not cyberex's output (scripts/asan.sh).
inline std::string without_sanitizer_notices(std::string err)
{
  const std::string head = "WARNING: ASan is ignoring requested __asan_handle_no_return:";
  const std::string tail = "For details see https://github.com/google/sanitizers/issues/189\n";
  for (std::size_t at = err.find(head); at != std::string::npos; at = err.find(head)) {
    const std::size_t line = err.rfind('\n', at); // the notice's line starts with "==PID=="
    const std::size_t begin = line == std::string::npos ? 0 : line + 1;
    const std::size_t end = err.find(tail, at);
    if (end == std::string::npos)
      break;
    err.erase(begin, end + tail.size() - begin);
  }
  return err;
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
  o.err = without_sanitizer_notices(slurp(err_file));
  std::remove(err_file.c_str());
  ::rmdir(dir.c_str());
  return o;
}

} // namespace cli_test

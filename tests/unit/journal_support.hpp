/* Helpers for the journal tests: run the cyberex CLI as a child process (one SimGrid engine per process), temporary
 * directories, files. */
#pragma once

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

struct Output {
  int status = -1;
  std::string out, err;
};

inline std::string temp_dir()
{
  char t[] = "/tmp/cyberex-journal-XXXXXX";
  if (!::mkdtemp(t))
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
inline Output run_cli(const std::string& args)
{
  const std::string dir = temp_dir();
  const std::string err_file = dir + "/stderr";
  const std::string cmd = std::string(CYBEREX_BINARY) + " " + args + " 2>" + err_file;
  Output o;
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

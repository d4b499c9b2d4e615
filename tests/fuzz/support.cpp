#include "support.hpp"

#include <nlohmann/json.hpp>

#include <fcntl.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <stdexcept>
#include <vector>

// libFuzzer's inline 8-bit coverage counters (clang -fsanitize=fuzzer): the linker defines these bounds when the
// section exists; elsewhere (GCC, no coverage) the weak references are null.
extern "C" {
extern std::uint8_t __start___sancov_cntrs[] __attribute__((weak));
extern std::uint8_t __stop___sancov_cntrs[] __attribute__((weak));
}

namespace cyberex::fuzz {

std::string source_dir()
{
  if (const char* env = std::getenv("CYBEREX_SOURCE_DIR"); env && *env)
    return env;
  return CYBEREX_SOURCE_DIR;
}

std::string tutorial_path()
{
  return source_dir() + "/scenarios/tutorial/tutorial.json";
}

ScratchFile::ScratchFile(const std::string& suffix)
{
  const char* tmp = std::getenv("TMPDIR");
  std::string pattern = std::string(tmp && *tmp ? tmp : "/tmp") + "/cyberex-fuzz-XXXXXX" + suffix;
  std::vector<char> name(pattern.begin(), pattern.end());
  name.push_back('\0');
  fd_ = mkstemps(name.data(), static_cast<int>(suffix.size()));
  if (fd_ < 0)
    throw std::runtime_error("cannot create a scratch file from " + pattern);
  path_ = name.data();
}

ScratchFile::~ScratchFile()
{
  if (fd_ >= 0) {
    close(fd_);
    unlink(path_.c_str());
  }
}

const std::string& ScratchFile::write(const std::uint8_t* data, std::size_t size)
{
  if (ftruncate(fd_, 0) != 0)
    fail("scratch file " + path_ + ": cannot truncate");
  std::size_t done = 0;
  while (done < size) {
    const ssize_t n = pwrite(fd_, data + done, size - done, static_cast<off_t>(done));
    if (n <= 0)
      fail("scratch file " + path_ + ": cannot write");
    done += static_cast<std::size_t>(n);
  }
  return path_;
}

void fail(const std::string& what)
{
  std::fprintf(stderr, "cyberex fuzz oracle failed: %s\n", what.c_str());
  std::fflush(stderr);
  std::abort();
}

void in_child(const std::function<void()>& body, const std::string& what)
{
  static const std::size_t counter_bytes =
      __start___sancov_cntrs && __stop___sancov_cntrs
          ? static_cast<std::size_t>(__stop___sancov_cntrs - __start___sancov_cntrs)
          : 0;
  static std::uint8_t* const shared = [] {
    if (counter_bytes == 0)
      return static_cast<std::uint8_t*>(nullptr);
    void* m = mmap(nullptr, counter_bytes, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (m == MAP_FAILED)
      fail("cannot map memory for the child's coverage");
    return static_cast<std::uint8_t*>(m);
  }();
  std::fflush(stdout);
  std::fflush(stderr);
  const pid_t parent = getpid();
  const pid_t pid = fork();
  if (pid < 0)
    fail("fork failed");
  if (pid == 0) {
    // if the parent dies (a libFuzzer timeout), so does the child
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent)
      _exit(3);
    body();
    if (shared)
      std::memcpy(shared, __start___sancov_cntrs, counter_bytes);
    _exit(0);
  }
  int status = 0;
  while (waitpid(pid, &status, 0) < 0)
    if (errno != EINTR)
      fail("waitpid failed");
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
    fail("the child (" + what + ") " +
         (WIFSIGNALED(status) ? "died of signal " + std::to_string(WTERMSIG(status))
                              : "failed with status " + std::to_string(WEXITSTATUS(status))));
  // the child started from this process's counters and added its own
  if (shared)
    std::memcpy(__start___sancov_cntrs, shared, counter_bytes);
}

bool is_json(const std::string& text)
{
  return !nlohmann::json::parse(text, nullptr, false).is_discarded();
}

bool is_json_object(const std::string& text)
{
  const auto j = nlohmann::json::parse(text, nullptr, false);
  return !j.is_discarded() && j.is_object();
}

} // namespace cyberex::fuzz

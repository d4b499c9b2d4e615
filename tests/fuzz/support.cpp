#include "support.hpp"

#include <nlohmann/json.hpp>

#include <fcntl.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <stdexcept>
#include <vector>

namespace cyberex::fuzz {

std::string source_dir()
{
  if (const char* env = std::getenv("CYBEREX_SOURCE_DIR"); env && *env)
    return env;
  return CYBEREX_SOURCE_DIR;
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

/* Access tokens: generation from /dev/urandom, the 0600 tokens file, constant-time lookup; and the log helpers. */
#include "net/tokens.hpp"
#include "net/log.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdarg>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <stdexcept>

namespace cyberex::net {

void log_line(const char* format, ...)
{
  const auto now = std::chrono::system_clock::now();
  const std::time_t t = std::chrono::system_clock::to_time_t(now);
  const int ms =
      static_cast<int>(std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char line[2048];
  int n = std::snprintf(line, sizeof line, "%02d:%02d:%02d.%03d cyberex serve: ", tm.tm_hour, tm.tm_min, tm.tm_sec, ms);
  va_list ap;
  va_start(ap, format);
  if (n >= 0 && n < static_cast<int>(sizeof line))
    n += std::vsnprintf(line + n, sizeof line - static_cast<std::size_t>(n), format, ap);
  va_end(ap);
  if (n < 0)
    return;
  std::size_t len = std::min(static_cast<std::size_t>(n), sizeof line - 2);
  line[len++] = '\n';
  // one write per line, so lines from several threads never interleave
  [[maybe_unused]] const ssize_t w = ::write(2, line, len);
}

void sync_parent_directory(const std::string& path)
{
  const auto slash = path.rfind('/');
  const std::string dir = slash == std::string::npos ? "." : (slash == 0 ? "/" : path.substr(0, slash));
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd >= 0) {
    ::fsync(fd);
    ::close(fd);
  }
}

std::string random_token()
{
  unsigned char bytes[32];
  const int fd = ::open("/dev/urandom", O_RDONLY | O_CLOEXEC);
  std::size_t got = 0;
  while (fd >= 0 && got < sizeof bytes) {
    const ssize_t n = ::read(fd, bytes + got, sizeof bytes - got);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      break;
    got += static_cast<std::size_t>(n);
  }
  if (fd >= 0)
    ::close(fd);
  if (got < sizeof bytes)
    throw std::runtime_error("cannot read /dev/urandom for access tokens");
  static const char hex[] = "0123456789abcdef";
  std::string out;
  for (unsigned char b : bytes) {
    out += hex[b >> 4];
    out += hex[b & 15];
  }
  return out;
}

bool TokenTable::load_or_create(const std::string& path, const std::vector<Principal>& principals, bool reuse,
                                std::string* error)
{
  if (reuse) {
    // a tokens file others can read may have been read: its tokens are no longer secrets, and reusing them silently
    // would let whoever read them in
    struct stat st {};
    if (::stat(path.c_str(), &st) == 0 && (st.st_mode & 077) != 0) {
      char mode[8];
      std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(st.st_mode & 07777));
      *error =
          path + ": the tokens file is readable by other users (mode " + mode +
          "): its tokens may have leaked. Delete it to issue new tokens (the drill is recovered with new ones), or "
          "chmod 600 it if nobody else can have read it";
      return false;
    }
    std::string ignored;
    if (auto old = read_tokens(path, &ignored); old && old->size() == principals.size()) {
      bool same = true;
      for (std::size_t i = 0; i < principals.size(); ++i)
        same = same && principal_label((*old)[i].who) == principal_label(principals[i]);
      if (same) {
        entries_ = std::move(*old);
        log_line("reusing the tokens in %s", path.c_str());
        return true;
      }
    }
  }
  entries_.clear();
  std::string text = "# cyberex drill access tokens: give each line only to its holder (role[:team] token)\n";
  try {
    for (const auto& p : principals) {
      entries_.push_back(TokenEntry{p, random_token()});
      text += principal_label(p) + " " + entries_.back().token + "\n";
    }
  } catch (const std::exception& e) {
    *error = e.what();
    return false;
  }
  const std::string tmp = path + ".tmp";
  ::unlink(tmp.c_str());
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  bool ok = fd >= 0 && ::fchmod(fd, 0600) == 0 &&
            ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()) && ::fsync(fd) == 0;
  const int saved = errno;
  if (fd >= 0)
    ::close(fd);
  ok = ok && ::rename(tmp.c_str(), path.c_str()) == 0;
  if (!ok) {
    *error = path + ": cannot write the tokens file: " + std::strerror(saved ? saved : errno);
    ::unlink(tmp.c_str());
    return false;
  }
  sync_parent_directory(path);
  log_line("wrote %zu access tokens to %s (mode 0600)", entries_.size(), path.c_str());
  return true;
}

std::optional<Principal> TokenTable::find(const std::string& token) const
{
  std::optional<Principal> found;
  for (const auto& e : entries_) {
    if (e.token.size() != token.size())
      continue;
    unsigned char diff = 0;
    for (std::size_t i = 0; i < token.size(); ++i)
      diff |= static_cast<unsigned char>(e.token[i] ^ token[i]);
    if (diff == 0)
      found = e.who;
  }
  return found;
}

} // namespace cyberex::net

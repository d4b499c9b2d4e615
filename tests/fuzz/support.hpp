/* What the fuzz targets share: where the source tree is, a scratch file for readers that take a path, and the
 * oracle that stops a run. */
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>

namespace cyberex::fuzz {

/// The source tree (scenarios/, data/): CYBEREX_SOURCE_DIR, or $CYBEREX_SOURCE_DIR when set.
std::string source_dir();
/// The tutorial scenario in the source tree (the session, play and journal targets play or fold on it).
std::string tutorial_path();

/// A file of the process's own, rewritten with each input, for readers that only take a path. Removed at exit.
class ScratchFile {
public:
  explicit ScratchFile(const std::string& suffix);
  ~ScratchFile();
  ScratchFile(const ScratchFile&) = delete;
  ScratchFile& operator=(const ScratchFile&) = delete;

  /// Replace the file's content with `data`; returns the path.
  const std::string& write(const std::uint8_t* data, std::size_t size);
  const std::string& path() const { return path_; }

private:
  int fd_ = -1;
  std::string path_;
};

/// An oracle failed: print `what` and abort, so libFuzzer (or the regression suite) records the input.
[[noreturn]] void fail(const std::string& what);

/// fail() unless `ok`.
inline void check(bool ok, const std::string& what)
{
  if (!ok)
    fail(what);
}

/// Runs `body` in a child process forked from this one (targets that need a fresh SimGrid engine or session per
/// input: one engine per process), then gives the child's coverage counters to libFuzzer (a shared mapping made by the
/// first call, before any fork). Fails, naming `what`, unless the child exits 0. The child dies with its parent.
void in_child(const std::function<void()>& body, const std::string& what);

/// True when `text` is one JSON value (nlohmann/json's strict parser, no exceptions).
bool is_json(const std::string& text);
/// True when `text` is one JSON object.
bool is_json_object(const std::string& text);

} // namespace cyberex::fuzz

/* Human-readable log lines of the drill server and client (stderr), and small file-system helpers. */
#pragma once

#include <string>

namespace cyberex::net {

/// printf-style line on stderr, prefixed with the wall time "HH:MM:SS.mmm" and "cyberex serve:".
[[gnu::format(printf, 1, 2)]] void log_line(const char* format, ...);

/// fsync the directory holding `path`, so that a newly created file survives a crash of the machine.
void sync_parent_directory(const std::string& path);

} // namespace cyberex::net

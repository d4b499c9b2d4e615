/* A small command-line reader shared by the subcommands: options with values, flags, positional arguments, and the
 * same error messages everywhere ("cyberex run: --seed expects a non-negative integer, got 'x'").
 *
 *   Options opt("run", args);
 *   while (opt.next()) {
 *     if (opt.is("--help", "-h")) { usage(stdout); return 0; }
 *     else if (opt.is("--seed")) { if (!opt.uint_value(seed)) return 1; }
 *     else if (opt.is("--until")) { if (!opt.duration_value(until)) return 1; }
 *     else if (opt.is("--json")) json = true;
 *     else if (opt.is_option()) return opt.unknown(usage);
 *     else if (!opt.positional(file, "scenario")) return 1;
 *   }
 */
#pragma once

#include "commands.hpp"

#include <cstdint>
#include <cstdio>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace cyberex {
class Diagnostics;
struct LoadResult;
struct Command;
} // namespace cyberex

namespace cyberex::cli {

/// Prints every diagnostic on stderr, one per line (`file:line:col: severity: [code] (pointer) message`).
void print_diagnostics(const Diagnostics& diagnostics);
/// Loads the scenario into `loaded`, then, when `play` is not empty, its scripted responses into `commands`,
/// printing every diagnostic of both; false if either has an error (the caller exits with status 2).
/// Writes `text` to `output` ("" or "-": standard output). Returns 0, or 3 after "cyberex COMMAND: OUTPUT: cannot
/// write the WHAT" on stderr (the commands' exit status for output that cannot be written).
int write_output(const char* command, const std::string& output, const std::string& text, const char* what);

bool load_scenario_and_play(const std::string& file, const std::string& play, LoadResult& loaded,
                            std::vector<Command>& commands);

class Options {
public:
  Options(std::string command, const Args& args) : command_(std::move(command)), args_(args) {}

  /// Move to the next argument; false when there are none left.
  bool next();
  /// The current argument.
  const std::string& arg() const { return args_[i_]; }
  /// True if the current argument is `name` (or `alias`).
  bool is(const char* name, const char* alias = nullptr) const;
  /// True if the current argument looks like an option ("-x", "--x"; a lone "-" is positional).
  bool is_option() const;

  /// Take the option's value (the next argument) into `out`; false (message printed) if there is none.
  bool value(std::string& out);
  /// A non-negative integer value.
  bool uint_value(std::uint64_t& out);
  bool uint_value(std::optional<std::uint64_t>& out);
  /// An integer value within [min, max].
  bool int_value(int& out, int min, int max);
  /// A time from the exercise start, read by parse_exercise_time ("8h", "5h20m", "90m", "3600", "5:20").
  bool duration_value(double& out);
  bool duration_value(std::optional<double>& out);
  /// A number value.
  bool number_value(double& out);

  /// Take the current argument as the single positional `what` (e.g. "scenario"); false (message printed) if one was
  /// already given.
  bool positional(std::string& out, const char* what);
  /// Print "unknown option" and the usage on stderr; returns 1 (the usage-error exit status).
  int unknown(void (*usage)(std::FILE*));
  /// Print "cyberex CMD: <message>" on stderr; returns 1.
  int fail(const std::string& message) const;

private:
  /// Take the value and convert it; on failure print "NAME expects EXPECTED, got 'V'".
  bool converted(const char* expected, const std::function<bool(const std::string&)>& convert);

  std::string command_;
  const Args& args_;
  std::size_t i_ = static_cast<std::size_t>(-1);
};

} // namespace cyberex::cli

/* The shared command-line reader: see options.hpp. */
#include "options.hpp"

#include "cyberex/engine.hpp"
#include "cyberex/exercise_time.hpp"
#include "cyberex/scenario.hpp"

#include <cerrno>
#include <cstdlib>
#include <fstream>
#include <functional>

namespace cyberex::cli {

void print_diagnostics(const Diagnostics& diagnostics)
{
  for (const Diagnostic& d : diagnostics.items())
    std::fprintf(stderr, "%s\n", d.format().c_str());
}

bool load_scenario_and_play(const std::string& file, const std::string& play, LoadResult& loaded,
                            std::vector<Command>& commands)
{
  loaded = load_scenario(file);
  print_diagnostics(loaded.diagnostics);
  if (!loaded.ok())
    return false;
  if (play.empty())
    return true;
  PlayResult p = load_play(play, *loaded.scenario);
  print_diagnostics(p.diagnostics);
  if (!p.ok())
    return false;
  commands = std::move(p.commands);
  return true;
}

bool Options::next()
{
  ++i_;
  return i_ < args_.size();
}

bool Options::is(const char* name, const char* alias) const
{
  return arg() == name || (alias && arg() == alias);
}

bool Options::is_option() const
{
  return arg().size() > 1 && arg()[0] == '-';
}

int Options::fail(const std::string& message) const
{
  std::fprintf(stderr, "cyberex %s: %s\n", command_.c_str(), message.c_str());
  return 1;
}

bool Options::value(std::string& out)
{
  if (i_ + 1 >= args_.size()) {
    fail(arg() + " needs a value");
    return false;
  }
  ++i_;
  out = args_[i_];
  return true;
}

bool Options::converted(const char* expected, const std::function<bool(const std::string&)>& convert)
{
  const std::string name = arg();
  std::string v;
  if (!value(v))
    return false;
  if (v.empty() || !convert(v)) {
    fail(name + " expects " + expected + ", got '" + v + "'");
    return false;
  }
  return true;
}

bool Options::uint_value(std::uint64_t& out)
{
  return converted("a non-negative integer", [&](const std::string& v) {
    char* end = nullptr;
    errno = 0;
    const unsigned long long x = std::strtoull(v.c_str(), &end, 10);
    if (*end != '\0' || v[0] == '-' || v[0] == '+' || errno == ERANGE)
      return false;
    out = x;
    return true;
  });
}

bool Options::uint_value(std::optional<std::uint64_t>& out)
{
  std::uint64_t x = 0;
  if (!uint_value(x))
    return false;
  out = x;
  return true;
}

bool Options::int_value(int& out, int min, int max)
{
  const std::string expected = "an integer from " + std::to_string(min) + " to " + std::to_string(max);
  return converted(expected.c_str(), [&](const std::string& v) {
    char* end = nullptr;
    errno = 0;
    const long x = std::strtol(v.c_str(), &end, 10);
    if (*end != '\0' || errno == ERANGE || x < min || x > max)
      return false;
    out = static_cast<int>(x);
    return true;
  });
}

bool Options::duration_value(double& out)
{
  const std::string expected = exercise_time_forms();
  return converted(expected.c_str(), [&](const std::string& v) {
    const auto d = parse_exercise_time(v);
    if (d)
      out = *d;
    return d.has_value();
  });
}

bool Options::duration_value(std::optional<double>& out)
{
  double d = 0;
  if (!duration_value(d))
    return false;
  out = d;
  return true;
}

bool Options::number_value(double& out)
{
  return converted("a number", [&](const std::string& v) {
    char* end = nullptr;
    const double x = std::strtod(v.c_str(), &end);
    if (*end != '\0' || !(x == x))
      return false;
    out = x;
    return true;
  });
}

bool Options::positional(std::string& out, const char* what)
{
  if (!out.empty()) {
    fail(std::string("one ") + what + " only (got '" + out + "' and '" + arg() + "')");
    return false;
  }
  out = arg();
  return true;
}

int Options::unknown(void (*usage)(std::FILE*))
{
  fail("unknown option '" + arg() + "'");
  usage(stderr);
  return 1;
}

int write_output(const char* command, const std::string& output, const std::string& text, const char* what)
{
  if (output.empty() || output == "-") {
    std::fwrite(text.data(), 1, text.size(), stdout);
    return std::fflush(stdout) == 0 ? 0 : 3;
  }
  std::ofstream f(output, std::ios::binary | std::ios::trunc);
  if (f)
    f.write(text.data(), static_cast<std::streamsize>(text.size()));
  f.close();
  if (!f) {
    std::fprintf(stderr, "cyberex %s: %s: cannot write the %s\n", command, output.c_str(), what);
    return 3;
  }
  return 0;
}

} // namespace cyberex::cli

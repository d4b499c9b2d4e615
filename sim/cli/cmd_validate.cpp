/* cyberex validate FILE...: every diagnostic of every file on stderr, one summary line per file on stdout. */
#include "commands.hpp"
#include "options.hpp"

#include "cyberex/scenario.hpp"

#include <cstdio>
#include <string>

namespace cyberex::cli {
namespace {

void usage(std::FILE* out)
{
  std::fprintf(out, "usage: cyberex validate FILE... [--werror] [--quiet]\n\n"
                    "Checks scenario files completely and prints every problem found, GCC style:\n"
                    "  file:line:col: error: [code] (json-pointer) message\n\n"
                    "options:\n"
                    "  --werror  treat warnings as errors (exit 2 when there is any warning)\n"
                    "  --quiet   print only the diagnostics, not the summary line per file\n"
                    "  --help    show this help\n\n"
                    "exit status: 0 every file is valid, 2 some file is not, 1 usage error\n");
}

std::string plural(std::size_t n, const char* one, const char* many)
{
  return std::to_string(n) + " " + (n == 1 ? one : many);
}

} // namespace

int cmd_validate(const Args& args)
{
  bool werror = false;
  bool quiet = false;
  std::vector<std::string> files;
  for (const std::string& a : args) {
    if (a == "--help" || a == "-h") {
      usage(stdout);
      return 0;
    }
    if (a == "--werror")
      werror = true;
    else if (a == "--quiet" || a == "-q")
      quiet = true;
    else if (a.size() > 1 && a[0] == '-') {
      std::fprintf(stderr, "cyberex validate: unknown option '%s'\n", a.c_str());
      usage(stderr);
      return 1;
    } else
      files.push_back(a);
  }
  if (files.empty()) {
    std::fprintf(stderr, "cyberex validate: no scenario file given\n");
    usage(stderr);
    return 1;
  }
  bool all_valid = true;
  for (const std::string& file : files) {
    const LoadResult r = load_scenario(file);
    print_diagnostics(r.diagnostics);
    std::fflush(stderr);
    const std::size_t warnings = r.diagnostics.warning_count();
    const bool valid = r.ok() && !(werror && warnings > 0);
    all_valid = all_valid && valid;
    if (quiet)
      continue;
    if (r.ok()) {
      const Scenario& s = *r.scenario;
      std::printf("%s: %s (%s, %s, %s, %s), %s\n", file.c_str(), valid ? "valid" : "invalid (--werror)",
                  plural(s.nodes.size(), "node", "nodes").c_str(), plural(s.links.size(), "link", "links").c_str(),
                  plural(s.campaigns.size(), "campaign", "campaigns").c_str(),
                  plural(s.msel.size(), "inject", "injects").c_str(), plural(warnings, "warning", "warnings").c_str());
    } else {
      std::printf("%s: invalid, %s, %s\n", file.c_str(), plural(r.diagnostics.error_count(), "error", "errors").c_str(),
                  plural(warnings, "warning", "warnings").c_str());
    }
    std::fflush(stdout);
  }
  return all_valid ? 0 : 2;
}

} // namespace cyberex::cli

/* cyberex import stix BUNDLE: a STIX 2.1 bundle to a scenario fragment (docs/interchange.md, "STIX 2.1 import"). */
#include "commands.hpp"
#include "options.hpp"

#include "report/stix.hpp"

#include <cstdio>
#include <fstream>
#include <sstream>

namespace cyberex::cli {
namespace {

void usage(std::FILE* out)
{
  std::fprintf(out,
               "usage: cyberex import stix BUNDLE [-o FILE] [--prefix P]\n\n"
               "Turns a STIX 2.1 bundle (cyberex report --format stix writes one, threat-intelligence platforms\n"
               "export them) into a scenario fragment that a scenario's \"include\" list can name:\n"
               "  - each indicator whose pattern is one comparison of a mapped path (file:hashes.'SHA-256' and the\n"
               "    other hashes, domain-name:value, ipv4-addr:value, ipv6-addr:value, url:value, email-addr:value,\n"
               "    file:name, windows-registry-key:key) becomes an indicator;\n"
               "  - each campaign becomes a campaign skeleton: one step per ATT&CK technique it uses (attack-patterns\n"
               "    with a mitre-attack or mitre-ics-attack external id), in kill-chain order, each with the\n"
               "    placeholders target \"node:FILL-IN-target\" and duration \"FILL-IN-duration\", which cyberex\n"
               "    validate names step by step until the planner fills them in;\n"
               "    its intrusion sets become its actor, its indicators and targets are listed in its description.\n"
               "Ids come from the objects' x_cyberex_id or name. What the fragment cannot hold (identities,\n"
               "sightings, courses of action, other object types, pattern forms) is listed on stderr with a summary\n"
               "line; nothing is dropped silently.\n\n"
               "options:\n"
               "  -o, --output FILE  write the fragment there (default: standard output)\n"
               "  --prefix P         put P in front of every id the fragment defines (e.g. \"stix-\", so that the\n"
               "                     fragment can join the scenario the bundle came from)\n"
               "  --help             show this help\n\n"
               "exit status: 0 written, 1 usage error, 2 the bundle cannot be read or is malformed (not JSON, not a\n"
               "bundle, objects without type or id, malformed patterns: each named with file:line:col and its JSON\n"
               "pointer), 3 the output cannot be written\n");
}

} // namespace

int cmd_import(const Args& args)
{
  Options opt("import", args);
  std::string kind, bundle, output, prefix;
  while (opt.next()) {
    if (opt.is("--help", "-h")) {
      usage(stdout);
      return 0;
    } else if (opt.is("--output", "-o")) {
      if (!opt.value(output))
        return 1;
    } else if (opt.is("--prefix")) {
      if (!opt.value(prefix))
        return 1;
    } else if (opt.is_option()) {
      return opt.unknown(usage);
    } else if (kind.empty()) {
      kind = opt.arg();
    } else if (!opt.positional(bundle, "bundle")) {
      return 1;
    }
  }
  if (kind.empty() || bundle.empty()) {
    usage(stderr);
    return opt.fail(kind.empty() ? "the format (stix) and a bundle file are required" : "a bundle file is required");
  }
  if (kind != "stix")
    return opt.fail("the format to import must be 'stix', got '" + kind + "'");

  std::ifstream in(bundle, std::ios::binary);
  if (!in) {
    std::fprintf(stderr, "cyberex import: %s: cannot read the file\n", bundle.c_str());
    return 2;
  }
  std::stringstream ss;
  ss << in.rdbuf();
  const stix::Import result = stix::import_bundle(bundle, ss.str(), prefix);
  print_diagnostics(result.diagnostics);
  if (result.diagnostics.has_errors()) {
    std::fprintf(stderr, "cyberex import: %zu error%s: no fragment written\n", result.diagnostics.error_count(),
                 result.diagnostics.error_count() == 1 ? "" : "s");
    return 2;
  }
  std::fprintf(stderr, "cyberex import: %d indicator%s, %d campaign%s (%d step%s to complete); %zu item%s not mapped\n",
               result.indicators, result.indicators == 1 ? "" : "s", result.campaigns, result.campaigns == 1 ? "" : "s",
               result.steps, result.steps == 1 ? "" : "s", result.unmapped.size(),
               result.unmapped.size() == 1 ? "" : "s");
  return write_output("import", output, result.fragment, "fragment");
}

} // namespace cyberex::cli

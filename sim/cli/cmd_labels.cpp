/* cyberex labels FILE.graphml: the labels of a GraphML topology, the names scenario nodes attach to it by. */
#include "commands.hpp"
#include "options.hpp"

#include "cyberex/graphml.hpp"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <filesystem>
#include <string>

namespace cyberex::cli {
namespace {

void usage(std::FILE* out)
{
  std::fprintf(out,
               "usage: cyberex labels FILE.graphml [--prefix ID]\n\n"
               "Lists the nodes of a GraphML topology (Internet Topology Zoo) as a scenario imports them, one per\n"
               "line in document order: the node id that scenario fields refer to (\"<prefix>:<label>\"), the\n"
               "label, and the latitude and longitude when the file gives them (\"-\" otherwise). Duplicated\n"
               "labels are renamed as the import renames them (\"Paris (2)\").\n\n"
               "options:\n"
               "  --prefix ID  the topology's id (or \"prefix\") in the scenario; default: the file name without\n"
               "               its extension, in lower case (Abilene.graphml: abilene)\n"
               "  --help       show this help\n\n"
               "exit status: 0 listed, 2 the file cannot be read as GraphML (problems on stderr), 1 usage "
               "error\n");
}

} // namespace

int cmd_labels(const Args& args)
{
  std::string file;
  std::string prefix;
  Options opt("labels", args);
  while (opt.next()) {
    if (opt.is("--help", "-h")) {
      usage(stdout);
      return 0;
    } else if (opt.is("--prefix")) {
      if (!opt.value(prefix))
        return 1;
    } else if (opt.is_option()) {
      return opt.unknown(usage);
    } else if (!opt.positional(file, "GraphML file")) {
      return 1;
    }
  }
  if (file.empty()) {
    std::fprintf(stderr, "cyberex labels: no GraphML file given\n");
    usage(stderr);
    return 1;
  }
  if (prefix.empty()) {
    prefix = std::filesystem::path(file).stem().string();
    std::transform(prefix.begin(), prefix.end(), prefix.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  }
  Topology spec;
  spec.id = prefix;
  spec.prefix = prefix;
  spec.site = prefix;
  Diagnostics diags;
  const auto topology = import_graphml(file, spec, diags);
  print_diagnostics(diags);
  std::fflush(stderr);
  if (!topology)
    return 2;
  int id_width = 2;
  int label_width = 5;
  for (const Node& n : topology->nodes) {
    id_width = std::max(id_width, static_cast<int>(n.id.size()));
    label_width = std::max(label_width, static_cast<int>(n.name.size()));
  }
  std::printf("%-*s  %-*s  %10s  %11s\n", id_width, "id", label_width, "label", "latitude", "longitude");
  for (const Node& n : topology->nodes) {
    std::printf("%-*s  %-*s", id_width, n.id.c_str(), label_width, n.name.c_str());
    if (n.location)
      std::printf("  %10.5f  %11.5f\n", n.location->lat, n.location->lon);
    else
      std::printf("  %10s  %11s\n", "-", "-");
  }
  std::printf("%zu labels, %zu links\n", topology->nodes.size(), topology->links.size());
  return 0;
}

} // namespace cyberex::cli

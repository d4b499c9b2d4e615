/* cyberex: validate, analyse and run cyber-exercise scenarios. */
#include "child_runs.hpp"
#include "commands.hpp"
#include "mpi_runs.hpp"

#include <cstdio>
#include <cstring>
#include <exception>
#include <fcntl.h>
#include <string>
#include <unistd.h>

namespace {

struct Subcommand {
  const char* name;
  int (*run)(const cyberex::cli::Args&);
  const char* summary;
};

const Subcommand subcommands[] = {
    {"validate", cyberex::cli::cmd_validate, "check scenario files and print every problem found"},
    {"analyze", cyberex::cli::cmd_analyze, "attack paths, single points of failure and cascade impacts"},
    {"labels", cyberex::cli::cmd_labels, "list the node labels of a GraphML topology, to attach scenario nodes by"},
    {"run", cyberex::cli::cmd_run, "simulate a scenario headless and print its KPIs"},
    {"generate", cyberex::cli::cmd_generate, "write a synthetic national-scale scenario"},
    {"serve", cyberex::cli::cmd_serve, "run a live drill over WebSocket (tokens, journal, recovery)"},
    {"client", cyberex::cli::cmd_client, "send commands to a drill server and print what it sends"},
    {"batch", cyberex::cli::cmd_batch, "N runs with consecutive seeds in parallel and the distribution of every KPI"},
    {"check", cyberex::cli::cmd_check, "pre-STARTEX checks of a scenario's MSEL from a batch of runs"},
    {"sensitivity", cyberex::cli::cmd_sensitivity,
     "which scripted response matters most: KPI change when each is delayed or dropped"},
    {"play", cyberex::cli::cmd_play, "run a scripted exercise headless and write its journal"},
    {"replay", cyberex::cli::cmd_replay, "re-run a journal and check it, or show the state at a time"},
    {"report", cyberex::cli::cmd_report, "HSEEP after-action report of a journal (HTML, Markdown or JSON)"},
    {"whatif", cyberex::cli::cmd_whatif, "re-run a journal with other commands from a time and compare KPIs"},
    {"powerflow", cyberex::cli::cmd_powerflow, "DC power flow of a MATPOWER case, as it stands or after outages"},
    {"import", cyberex::cli::cmd_import, "turn a STIX 2.1 bundle into a scenario fragment"},
    {"msel", cyberex::cli::cmd_msel, "export a scenario's MSEL to a spreadsheet (xlsx, CSV) or import one"},
};

void usage(std::FILE* out)
{
  std::fprintf(out, "usage: cyberex <command> [options]\n\ncommands:\n");
  for (const auto& s : subcommands)
    std::fprintf(out, "  %-12s %s\n", s.name, s.summary);
  std::fprintf(out, "\n'cyberex <command> --help' describes a command.\n");
}

bool has(const cyberex::cli::Args& args, const char* option)
{
  for (const auto& a : args)
    if (a == option)
      return true;
  return false;
}

/// The commands whose runs go through run_children, and so run on MPI ranks under mpirun.
bool shares_runs(const std::string& name)
{
  return name == "batch" || name == "check" || name == "sensitivity";
}

/// What --help of those commands adds about mpirun and the retry of a failed run (child_runs.hpp).
void cluster_help(const std::string& name)
{
  std::printf(
      "\non a cluster (docs/calibration.md, \"Running on a cluster\"):\n"
      "  mpirun -n N cyberex %s SCENARIO ...\n"
      "                  the same command with its runs shared over N MPI ranks: rank 0 hands them out one at a\n"
      "                  time and runs its share, each rank runs one at a time (--jobs J: J per rank), and rank 0\n"
      "                  alone prints the same output, byte for byte, as on one machine; progress, then\n"
      "                  \"cyberex %s: R runs on N ranks in T s; coordinator U us per run\" on stderr\n"
      "a run whose child dies (signal, error exit, bad output) is retried once, on any rank, and said on stderr:\n"
      "  cyberex %s: run 17 (seed 53) died (signal 9) on rank 1; retrying\n"
      "(without \"on rank\" on one machine); a second failure counts as a failed run. Test hook:\n"
      "CYBEREX_FAULT_KILL_SEED=S kills the child of seed S on its first attempt.\n",
      name.c_str(), name.c_str(), name.c_str());
}

int dispatch(int argc, char** argv)
{
  if (argc < 2) {
    usage(stderr);
    return 2;
  }
  const std::string name = argv[1];
  if (name == "--help" || name == "-h" || name == "help") {
    usage(stdout);
    return 0;
  }
  if (name == "--version") {
    std::printf("cyberex %s\n", CYBEREX_VERSION);
    return 0;
  }
  for (const auto& s : subcommands) {
    if (name != s.name)
      continue;
    cyberex::cli::Args args(argv + 2, argv + argc);
    cyberex::cli::note_arguments(args);
    try {
      const int code = s.run(args);
      if (code == 0 && shares_runs(name) && (has(args, "--help") || has(args, "-h")))
        cluster_help(name);
      return code;
    } catch (const std::exception& e) {
      std::fprintf(stderr, "cyberex %s: error: %s\n", s.name, e.what());
      return 1;
    }
  }
  std::fprintf(stderr, "cyberex: unknown command '%s'\n", name.c_str());
  usage(stderr);
  return 2;
}

} // namespace

int main(int argc, char** argv)
{
  // Under mpirun (and only then: plain runs never touch MPI) every rank runs the same command on the same
  // arguments; run_children shares the runs out (child_runs.hpp). Only rank 0 prints: the others would print the
  // same diagnostics again, or the statistics of runs they did not merge.
  if (!cyberex::cli::mpi::init(&argc, &argv))
    return 2;
  if (cyberex::cli::mpi::initialized() && cyberex::cli::mpi::rank() > 0) {
    const int null = ::open("/dev/null", O_WRONLY | O_CLOEXEC);
    if (null >= 0) {
      ::dup2(null, 1);
      ::dup2(null, 2);
      ::close(null);
    }
  }
  const int code = dispatch(argc, argv);
  std::fflush(nullptr);
  return cyberex::cli::end_ranks(code);
}

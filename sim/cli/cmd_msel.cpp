/* cyberex msel: a scenario's MSEL to a spreadsheet (CSV, xlsx) and back (docs/interchange.md, "MSEL spreadsheets"). */
#include "commands.hpp"
#include "options.hpp"

#include "cyberex/msel.hpp"

#include <cstdio>
#include <fstream>

namespace cyberex::cli {
namespace {

void usage(std::FILE* out)
{
  std::fprintf(
      out,
      "usage: cyberex msel export SCENARIO -o FILE.xlsx|FILE.csv\n"
      "       cyberex msel import FILE.xlsx|FILE.csv [-o FRAGMENT.json] [--scenario SCENARIO] [--start HH:MM]\n\n"
      "export writes the scenario's MSEL (with its includes) as a spreadsheet: a header row, then one row per\n"
      "inject in scenario order, columns ID, Move, Time, Seconds, Type, Channel, From, To, Hidden, Title,\n"
      "Content, Trigger, Delay, Not before, Skip if, Expires, Expectations (Trigger, Skip if and Expectations\n"
      "as JSON). Seconds is the inject's time from the exercise start, for tools that count in seconds.\n\n"
      "import reads such a spreadsheet, or one of OpenAEV's or Crucible Blueprint's MSELs, into a scenario\n"
      "fragment {\"msel\": [...]} (and \"teams\" for recipients the scenario lacks) that a scenario includes.\n"
      "The table may start below a title row and right of column A: its header row is the first naming two\n"
      "known columns (docs/interchange.md lists them and their other names: Timing, Subject, Teams, ...).\n"
      "Times: 'D+2 H+3 M+45', 'T+2', 'T-1', 'M-5', '2h30m' (from the start of the inject's move, or of the\n"
      "exercise), a clock time '09:05' or an Excel time cell (from the exercise start at --start), or\n"
      "Seconds. A row with a single cell and no time is a section: it sets the move of the rows below when it\n"
      "names one of the scenario's moves. Several teams share a cell: 'SOC, IT Ops'.\n\n"
      "options:\n"
      "  -o FILE           export: the spreadsheet to write, .xlsx or .csv; import: the fragment (default stdout)\n"
      "  --scenario FILE   import: check moves against this scenario, match teams by id or name (others are\n"
      "                    created and listed), place clock times in moves\n"
      "  --start HH:MM     import: the clock time of the exercise start (default: the scenario's start)\n"
      "  --help            show this help\n\n"
      "Problems are printed as FILE:ROW:COLUMN: error: [code] message (row from 1, column as a letter), all\n"
      "of them. Example: cyberex msel export scenarios/cyber-atlantic-2011/cyber-atlantic-2011.json -o msel.xlsx\n\n"
      "exit status: 0 done, 1 usage error, 2 a file with errors (messages on stderr)\n");
}

bool parse_clock(const std::string& s, int& seconds)
{
  int h = 0, m = 0;
  char tail = 0;
  if (s.size() < 4 || s.size() > 5 || std::sscanf(s.c_str(), "%d:%d%c", &h, &m, &tail) != 2 || h < 0 || h > 23 ||
      m < 0 || m > 59 || s[s.size() - 3] != ':')
    return false;
  seconds = h * 3600 + m * 60;
  return true;
}

int run_export(const std::string& scenario, const std::string& out)
{
  const auto result = msel::export_msel(scenario, out);
  if (!result.ok()) { // a scenario's warnings are `cyberex validate`'s to show; its errors stop the export
    print_diagnostics(result.diagnostics);
    return 2;
  }
  std::fprintf(stderr, "cyberex msel: %zu injects written to %s\n", result.injects, out.c_str());
  return 0;
}

int run_import(const std::string& file, const std::string& out, const msel::ImportOptions& options)
{
  const auto result = msel::import_msel(file, options);
  print_diagnostics(result.scenario_diagnostics);
  for (const auto& d : result.diagnostics)
    std::fprintf(stderr, "%s\n", d.format().c_str());
  if (!result.ok())
    return 2;
  if (out.empty() || out == "-") {
    std::fputs(result.fragment.c_str(), stdout);
  } else {
    std::ofstream f(out, std::ios::binary | std::ios::trunc);
    f << result.fragment;
    if (!f.flush()) {
      std::fprintf(stderr, "cyberex msel: %s: cannot write the fragment\n", out.c_str());
      return 2;
    }
    std::fprintf(stderr, "cyberex msel: %zu injects written to %s\n", result.injects, out.c_str());
  }
  return 0;
}

} // namespace

int cmd_msel(const Args& args)
{
  std::string action, file, out, scenario;
  msel::ImportOptions options;
  Options opt("msel", args);
  while (opt.next()) {
    if (opt.is("--help", "-h")) {
      usage(stdout);
      return 0;
    } else if (opt.is("-o", "--output")) {
      if (!opt.value(out))
        return 1;
    } else if (opt.is("--scenario")) {
      if (!opt.value(scenario))
        return 1;
    } else if (opt.is("--start")) {
      std::string v;
      int seconds = 0;
      if (!opt.value(v))
        return 1;
      if (!parse_clock(v, seconds))
        return opt.fail("--start expects a clock time HH:MM, got '" + v + "'");
      options.start = seconds;
    } else if (opt.is_option()) {
      return opt.unknown(usage);
    } else if (action.empty()) {
      action = opt.arg();
    } else if (!opt.positional(file, action == "export" ? "scenario" : "spreadsheet")) {
      return 1;
    }
  }
  if (action != "export" && action != "import") {
    std::fprintf(stderr,
                 action.empty() ? "cyberex msel: expected 'export' or 'import'\n"
                                : "cyberex msel: unknown action '%s': expected 'export' or 'import'\n",
                 action.c_str());
    usage(stderr);
    return 1;
  }
  if (file.empty()) {
    std::fprintf(stderr, "cyberex msel %s: no %s given\n", action.c_str(),
                 action == "export" ? "scenario" : "spreadsheet");
    return 1;
  }
  if (action == "export") {
    if (out.empty())
      return opt.fail("export needs -o FILE.xlsx or -o FILE.csv");
    if (!scenario.empty() || options.start)
      return opt.fail("--scenario and --start are import options");
    return run_export(file, out);
  }
  options.scenario = scenario;
  return run_import(file, out, options);
}

} // namespace cyberex::cli

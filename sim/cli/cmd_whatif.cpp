/* cyberex whatif JOURNAL --at T --command '{...}': re-run a journaled exercise with alternative commands from T on and
 * compare its KPIs with the original's. */
#include "commands.hpp"
#include "options.hpp"

#include "cyberex/report.hpp"

#include <nlohmann/json.hpp>

#include <cstdio>

namespace cyberex::cli {
namespace {

void usage(std::FILE* out)
{
  std::fprintf(
      out,
      "usage: cyberex whatif JOURNAL --at TIME --command JSON [--command JSON ...] [--replace] [--json]\n"
      "                      [--scenario FILE] [--save FILE] [--key FILE] [--play FILE] [--progress]\n\n"
      "Re-runs the journaled exercise (its scenario and seed) in this process: the recorded commands before\n"
      "TIME are replayed exactly, the alternative commands are applied at TIME, then the recorded commands\n"
      "from TIME on, to the journal's end; prints the KPIs of the original (from the journal's records) and\n"
      "of the branch side by side with their difference.\n\n"
      "options:\n"
      "  --at TIME        when the branch starts, e.g. 1h10m (a duration from the exercise start)\n"
      "  --command JSON   {\"as\":\"player:TEAM\"|\"controller\"|\"evaluator\",\"command\":{...protocol command}}\n"
      "                   (repeatable, applied in order)\n"
      "  --replace        drop the recorded commands at or after TIME of the principals the alternatives\n"
      "                   name (their play is replaced); by default the alternatives come beside them\n"
      "  --json           one JSON object (original, what-if, delta) instead of a table\n"
      "  --scenario FILE  the scenario (default: the path in the journal's header)\n"
      "  --save FILE      write the branch's journal there (cyberex report can read it)\n"
      "  --key FILE       the journal's key file, which checks its integrity (default: JOURNAL.key)\n"
      "  --play FILE      the responses file the journal was played with: its conditional responses\n"
      "                   (\"when\") are decided again in the branch instead of replayed as recorded\n"
      "  --progress       print \"cyberex whatif: progress T/END\" (simulated seconds) on stderr about every\n"
      "                   simulated hour of the run (the GUI's progress bar)\n"
      "  --help           show this help\n\n"
      "exit status: 0 compared, 1 usage error or a rejected alternative, 2 the journal or the scenario\n"
      "cannot be read\n");
}

} // namespace

int cmd_whatif(const Args& args)
{
  Options opt("whatif", args);
  std::string journal;
  std::optional<double> at;
  WhatIfOptions wo;
  std::vector<std::string> commands;
  while (opt.next()) {
    if (opt.is("--help", "-h")) {
      usage(stdout);
      return 0;
    } else if (opt.is("--at")) {
      if (!opt.duration_value(at))
        return 1;
    } else if (opt.is("--command")) {
      std::string c;
      if (!opt.value(c))
        return 1;
      commands.push_back(c);
    } else if (opt.is("--replace")) {
      wo.replace = true;
    } else if (opt.is("--progress")) {
      wo.progress = [](double t, double end) {
        std::fprintf(stderr, "cyberex whatif: progress %.0f/%.0f\n", t, end);
        std::fflush(stderr);
      };
    } else if (opt.is("--json")) {
      wo.json = true;
    } else if (opt.is("--scenario")) {
      if (!opt.value(wo.scenario))
        return 1;
    } else if (opt.is("--save")) {
      if (!opt.value(wo.save))
        return 1;
    } else if (opt.is("--key")) {
      if (!opt.value(wo.key))
        return 1;
    } else if (opt.is("--play")) {
      if (!opt.value(wo.play))
        return 1;
    } else if (opt.is_option()) {
      return opt.unknown(usage);
    } else if (!opt.positional(journal, "journal")) {
      return 1;
    }
  }
  if (journal.empty()) {
    usage(stderr);
    return opt.fail("a journal file is required");
  }
  if (!at)
    return opt.fail("--at TIME is required: when the alternative commands are applied");
  if (commands.empty())
    return opt.fail("--command is required: at least one alternative command");
  wo.at = *at;
  for (std::size_t i = 0; i < commands.size(); ++i) {
    const std::string where = "--command " + std::to_string(i + 1) + ": ";
    const auto j = nlohmann::ordered_json::parse(commands[i], nullptr, false);
    if (j.is_discarded() || !j.is_object())
      return opt.fail(where + "expected one JSON object {\"as\":\"player:TEAM\",\"command\":{...}}");
    if (!j.contains("as") || !j["as"].is_string())
      return opt.fail(where + "(/as) expected \"controller\", \"evaluator\", \"observer\" or \"player:TEAM\"");
    if (!j.contains("command") || !j["command"].is_object())
      return opt.fail(where + "(/command) expected a protocol command object such as {\"type\":\"action\",...}");
    for (const auto& [key, value] : j.items())
      if (key != "as" && key != "command")
        return opt.fail(where + "(/" + key + ") unexpected key: a what-if command has \"as\" and \"command\"");
    wo.commands.push_back({j["as"].get<std::string>(), j["command"].dump()});
  }
  ReportOutput out;
  try {
    out = run_whatif(journal, wo);
  } catch (const ReportError& e) {
    std::fprintf(stderr, "cyberex whatif: %s\n", e.message.c_str());
    return e.message.rfind("--", 0) == 0 ? 1 : 2;
  }
  for (const auto& w : out.warnings)
    std::fprintf(stderr, "cyberex whatif: warning: %s\n", w.c_str());
  std::fwrite(out.text.data(), 1, out.text.size(), stdout);
  return 0;
}

} // namespace cyberex::cli

/* cyberex play SCENARIO --journal FILE: a whole exercise headless at full speed through the exercise session, with
 * scripted commands, journaled (format 4); prints the final KPIs and leaderboard. */
#include "commands.hpp"
#include "options.hpp"

#include "cyberex/journal.hpp"
#include "cyberex/scenario.hpp"

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdio>
#include <string>

namespace cyberex::cli {
namespace {

using Json = nlohmann::ordered_json;

void usage(std::FILE* out)
{
  std::fprintf(out,
               "usage: cyberex play SCENARIO --journal FILE [--seed N] [--until TIME] [--play FILE] [--script FILE]\n"
               "                    [--key FILE] [--json] [--quiet]\n\n"
               "Plays a whole exercise headless at full speed: the controller starts it, the scripted commands are\n"
               "applied at their simulated times, the clock runs to the end; the journal (docs/journal.md) is\n"
               "written and the final KPIs and leaderboard are printed.\n\n"
               "options:\n"
               "  --journal FILE  the journal to write (required)\n"
               "  --seed N        random seed (default: the scenario's exercise.seed)\n"
               "  --until TIME    stop there, e.g. 2h30m (default: the exercise duration)\n"
               "  --play FILE     team responses {\"responses\": [...]} (docs/events.md, Play files), each turned\n"
               "                  into the equivalent player command (share: message, report: sitrep, ...)\n"
               "  --script FILE   JSON Lines {\"at\":\"1h10m\",\"as\":\"controller\"|\"evaluator\"|\"observer\"|"
               "\"player:TEAM\",\n"
               "                  \"command\":{...}}: any protocol command (docs/protocol.md)\n"
               "  --key FILE      sign the journal with this key file's key (copied to JOURNAL.key) instead of a new\n"
               "                  random one: the same scenario, seed, commands and key give a byte-identical journal\n"
               "  --json          print the result as one JSON object instead of tables\n"
               "  --quiet         no progress on stderr\n"
               "  --help          show this help\n\n"
               "At equal times --play responses come before --script lines, each in file order.\n"
               "exit status: 0 done, 1 usage or I/O error, 2 invalid scenario, play or script file, or a scripted\n"
               "command was rejected (each is reported on stderr with its line)\n");
}

std::string hms(double t)
{
  const long s = static_cast<long>(t + 0.5);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%ldh%02ldm%02lds", s / 3600, (s / 60) % 60, s % 60);
  return buf;
}

/// A time of the KPIs (null: never) as run prints it.
std::string when(const Json& v)
{
  return v.is_number() ? hms(v.get<double>()) : "-";
}

std::string cell(const Json& v)
{
  if (!v.is_number())
    return "-";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f", v.get<double>());
  return buf;
}

void print_tables(const PlayOutcome& o, const std::string& journal)
{
  const Json k = Json::parse(o.kpis);
  const Json b = Json::parse(o.leaderboard);
  std::printf("played %s (%s), %llu commands, %llu records -> %s\n\n", hms(o.time).c_str(), to_string(o.state),
              static_cast<unsigned long long>(o.commands), static_cast<unsigned long long>(o.records), journal.c_str());
  std::printf("%-34s %d / %d\n", "nodes compromised (max / at end)", k["nodes_compromised"]["max"].get<int>(),
              k["nodes_compromised"]["end"].get<int>());
  std::printf("%-34s %.3f MWh, %.1f customer-hours (peak %.1f MW)\n", "power lost",
              k["power"]["mwh_lost"].get<double>(), k["power"]["customer_hours_lost"].get<double>(),
              k["power"]["mw_lost_max"].get<double>());
  std::printf("%-34s %d true, %d false\n", "alerts", k["alerts"]["true"].get<int>(), k["alerts"]["false"].get<int>());
  // the campaigns' times as run prints them (one fold: the same containment time in run and play)
  std::printf("\n%-24s %-10s %14s %8s %12s %12s %12s\n", "campaign", "status", "exfiltrated", "steps", "compromise",
              "to detect", "to contain");
  for (const auto& c : k["campaigns"])
    std::printf("%-24s %-10s %11.1f MB %8d %12s %12s %12s\n", c["id"].get<std::string>().c_str(),
                c["status"].get<std::string>().c_str(), c["bytes_exfiltrated"].get<double>() / 1e6,
                c["steps_succeeded"].get<int>(), when(c["first_compromise"]).c_str(), when(c["time_to_detect"]).c_str(),
                when(c["time_to_contain"]).c_str());
  std::printf("\n%-24s %12s\n", "service", "availability");
  for (const auto& s : k["services"])
    std::printf("%-24s %11.2f%%\n", s["id"].get<std::string>().c_str(), 100 * s["availability"].get<double>());
  std::printf("\n%4s  %-20s %8s %13s %8s %8s\n", "rank", "team", "total", "expectations", "ratings", "metrics");
  for (const auto& t : b["teams"])
    std::printf("%4d  %-20s %8s %13s %8s %8s\n", t["rank"].get<int>(), t["team"].get<std::string>().c_str(),
                cell(t["total"]).c_str(), cell(t["expectations"]).c_str(), cell(t["ratings"]).c_str(),
                cell(t["metrics"]).c_str());
}

} // namespace

int cmd_play(const Args& args)
{
  std::string file, journal, play, script, key;
  std::optional<std::uint64_t> seed;
  std::optional<double> until;
  bool json = false, quiet = false;
  Options opt("play", args);
  while (opt.next()) {
    if (opt.is("--help", "-h")) {
      usage(stdout);
      return 0;
    } else if (opt.is("--journal")) {
      if (!opt.value(journal))
        return 1;
    } else if (opt.is("--seed")) {
      if (!opt.uint_value(seed))
        return 1;
    } else if (opt.is("--until")) {
      if (!opt.duration_value(until))
        return 1;
    } else if (opt.is("--play")) {
      if (!opt.value(play))
        return 1;
    } else if (opt.is("--script")) {
      if (!opt.value(script))
        return 1;
    } else if (opt.is("--key")) {
      if (!opt.value(key))
        return 1;
    } else if (opt.is("--json")) {
      json = true;
    } else if (opt.is("--quiet", "-q")) {
      quiet = true;
    } else if (opt.is_option()) {
      return opt.unknown(usage);
    } else if (!opt.positional(file, "scenario")) {
      return 1;
    }
  }
  if (file.empty()) {
    opt.fail("no scenario file given");
    usage(stderr);
    return 1;
  }
  if (journal.empty()) {
    opt.fail("--journal FILE is required: the journal is what play produces");
    return 1;
  }

  LoadResult loaded;
  std::vector<Command> responses;
  if (!load_scenario_and_play(file, play, loaded, responses))
    return 2;
  const Scenario& scenario = *loaded.scenario;

  std::vector<ScriptedCommand> commands;
  if (!play.empty())
    commands = responses_to_commands(responses, scenario, play);
  if (!script.empty()) {
    std::string error;
    auto s = read_script(script, &error);
    if (!s) {
      std::fprintf(stderr, "%s\n", error.c_str());
      return 2;
    }
    commands.insert(commands.end(), s->begin(), s->end());
  }

  PlayOptions po;
  po.scenario_path = file;
  po.journal = journal;
  po.key = key;
  po.until = until;
  std::string warning;
  po.exercise = cli_exercise_options(&warning);
  if (!warning.empty())
    std::fprintf(stderr, "cyberex play: warning: %s\n", warning.c_str());
  po.exercise.simulation.seed = seed;
  auto last_report = std::chrono::steady_clock::now();
  if (!quiet)
    po.progress = [&](double t) {
      const auto now = std::chrono::steady_clock::now();
      if (std::chrono::duration<double>(now - last_report).count() > 2) {
        std::fprintf(stderr, "cyberex play: %s simulated\n", hms(t).c_str());
        last_report = now;
      }
    };
  std::fflush(stdout);
  std::fflush(stderr);
  const PlayOutcome o = play_exercise(scenario, po, std::move(commands));
  if (!o.ok) {
    std::fprintf(stderr, "cyberex play: %s\n", o.error.c_str());
    return 1;
  }
  for (const auto& r : o.rejected)
    std::fprintf(stderr, "%s\n", r.c_str());
  for (const auto& r : o.not_issued)
    std::fprintf(stderr, "%s\n", r.c_str());
  if (json) {
    Json j;
    j["scenario"] = file;
    j["journal"] = journal;
    j["time"] = o.time;
    j["state"] = to_string(o.state);
    j["commands"] = o.commands;
    j["records"] = o.records;
    j["rejected"] = o.rejected.size();
    if (!o.not_issued.empty())
      j["not_issued"] = o.not_issued;
    j["kpis"] = Json::parse(o.kpis);
    j["leaderboard"] = Json::parse(o.leaderboard);
    std::printf("%s\n", j.dump().c_str());
  } else {
    print_tables(o, journal);
  }
  std::fflush(stdout);
  return o.rejected.empty() ? 0 : 2;
}

} // namespace cyberex::cli

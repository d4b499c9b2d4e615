/* cyberex replay JOURNAL: check a journal against a re-run (--verify) or show the state at a time (--at). */
#include "commands.hpp"
#include "options.hpp"

#include "cyberex/journal.hpp"
#include "cyberex/scenario.hpp"
#include "scenario/units.hpp"

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdio>
#include <map>
#include <string>

namespace cyberex::cli {
namespace {

using Json = nlohmann::ordered_json;

void usage(std::FILE* out)
{
  std::fprintf(out,
               "usage: cyberex replay JOURNAL [--verify] [--at TIME [--as ROLE[:TEAM]]] [--json]\n"
               "                      [--scenario FILE] [--key FILE] [--bench-seek N]\n\n"
               "Reads an exercise journal (docs/journal.md). Without options: a summary of the journal.\n\n"
               "options:\n"
               "  --verify          re-run the exercise from the journal's scenario (hash checked), seed and\n"
               "                    commands, and compare every recorded line byte for byte; reports the first\n"
               "                    difference\n"
               "  --at TIME         the state at that simulated time (e.g. 2h30m or 9000): ground truth, each\n"
               "                    team's view, leaderboard, MSEL status, folded from the journal's records\n"
               "  --as ROLE[:TEAM]  --at as this principal sees it: controller, evaluator, observer, player:TEAM\n"
               "  --json            JSON output (--at: the whole state as one object)\n"
               "  --scenario FILE   the scenario, when it is no longer at the path in the journal's header\n"
               "  --key FILE        the journal's key file, which checks its integrity (default: JOURNAL.key)\n"
               "  --bench-seek N    time N seeks to times spread over the journal (after opening) and print them\n"
               "  --help            show this help\n\n"
               "exit status: 0 done (--verify: identical), 1 usage or I/O error, 2 bad journal or scenario, 3 the\n"
               "replay differs from the journal\n");
}

std::string hms(double t)
{
  const long s = static_cast<long>(t + 0.5);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%ldh%02ldm%02lds", s / 3600, (s / 60) % 60, s % 60);
  return buf;
}

void print_state(const Json& s)
{
  std::printf("state at %s (%.3f s): clock %s, record %llu, command %llu\n", hms(s["time"].get<double>()).c_str(),
              s["time"].get<double>(), s["clock"].value("state", std::string("ready")).c_str(),
              s["seq"].get<unsigned long long>(), s["index"].get<unsigned long long>());
  if (s.contains("truth")) {
    // the one KPI definition (ExerciseState::kpis, docs/after-action.md "KPIs"): the figures run and report print
    const Json& k = s["truth"]["kpis"];
    double exfiltrated = 0;
    for (const auto& c : k["campaigns"])
      exfiltrated += c.value("bytes_exfiltrated", 0.0);
    std::printf("\n%-30s %zu now, %llu max\n", "nodes compromised", s["truth"]["compromised"].size(),
                k["nodes_compromised"].value("max", 0ULL));
    std::printf("%-30s %.1f MB\n", "data exfiltrated", exfiltrated / 1e6);
    std::printf("%-30s %.3f MWh, %.1f customer-hours so far (peak %.1f MW)\n", "power lost",
                k["power"].value("mwh_lost", 0.0), k["power"].value("customer_hours_lost", 0.0),
                k["power"].value("mw_lost_max", 0.0));
    std::printf("%-30s %llu true, %llu false\n", "alerts", k["alerts"].value("true", 0ULL),
                k["alerts"].value("false", 0ULL));
    std::string comp;
    for (const auto& n : s["truth"]["compromised"])
      comp += (comp.empty() ? "" : ", ") + (n.is_string() ? n.get<std::string>() : n.value("node", std::string()));
    std::printf("%-30s %s\n", "compromised", comp.empty() ? "-" : comp.c_str());
    if (!k["services"].empty()) {
      std::printf("\n%-24s %12s %9s %12s %12s\n", "service", "availability", "measured", "degraded", "unavailable");
      for (const auto& v : k["services"])
        std::printf("%-24s %11.2f%% %9s %11.1fs %11.1fs\n", v.value("id", std::string()).c_str(),
                    v.value("availability", 0.0) * 100, v.value("probed", false) ? "probes" : "truth",
                    v.value("degraded", 0.0), v.value("unavailable", 0.0));
    }
  }
  auto team_line = [](const Json& t) {
    std::size_t unread = 0;
    for (const auto& i : t["inbox"])
      unread += i.value("read", false) ? 0 : 1;
    std::printf("  %-20s inbox %3zu (%zu unread), alerts %3zu, indicators known %zu, assets seen %zu\n",
                t["team"].get<std::string>().c_str(), t["inbox"].size(), unread, t["alerts"].size(),
                t["known_indicators"].size(), t["assets"].value("nodes", Json::array()).size());
  };
  if (s.contains("teams")) {
    std::printf("\nteams\n");
    for (const auto& t : s["teams"])
      team_line(t);
  } else if (s.contains("team")) {
    std::printf("\nteam\n");
    team_line(s["team"]);
  }
  if (s["leaderboard"].contains("teams")) {
    // metrics are null in standings until the end
    std::printf("\n%4s  %-20s %8s\n", "rank", "team", "total");
    for (const auto& t : s["leaderboard"]["teams"])
      std::printf("%4d  %-20s %8.2f\n", t.value("rank", 0), t.value("team", std::string()).c_str(),
                  t.value("total", 0.0));
  }
  if (s.contains("msel")) {
    std::map<std::string, int> by_status, exp_status;
    for (const auto& i : s["msel"]["injects"])
      ++by_status[i.value("status", std::string("?"))];
    for (const auto& e : s["msel"]["expectations"])
      ++exp_status[e.value("status", std::string("?"))];
    std::printf("\nMSEL: injects");
    for (const auto& [k, v] : by_status)
      std::printf(" %s %d", k.c_str(), v);
    std::printf("; expectations");
    for (const auto& [k, v] : exp_status)
      std::printf(" %s %d", k.c_str(), v);
    std::printf("\n");
  }
}

} // namespace

int cmd_replay(const Args& args)
{
  std::string file, as, scenario_file;
  bool verify = false, json = false;
  std::optional<double> at;
  std::uint64_t bench = 0;
  JournalReadOptions read_options;
  Options opt("replay", args);
  while (opt.next()) {
    if (opt.is("--help", "-h")) {
      usage(stdout);
      return 0;
    } else if (opt.is("--verify")) {
      verify = true;
    } else if (opt.is("--at")) {
      std::string v;
      if (!opt.value(v))
        return 1;
      char* end = nullptr;
      const double x = std::strtod(v.c_str(), &end);
      if (!v.empty() && *end == '\0' && x >= 0)
        at = x;
      else
        at = units::parse(units::Quantity::inject_time, v);
      if (!at)
        return opt.fail("--at expects seconds or " + units::expected(units::Quantity::inject_time) + ", got '" + v +
                        "'");
    } else if (opt.is("--as")) {
      if (!opt.value(as))
        return 1;
    } else if (opt.is("--scenario")) {
      if (!opt.value(scenario_file))
        return 1;
    } else if (opt.is("--key")) {
      if (!opt.value(read_options.key))
        return 1;
    } else if (opt.is("--bench-seek")) {
      if (!opt.uint_value(bench))
        return 1;
    } else if (opt.is("--json")) {
      json = true;
    } else if (opt.is_option()) {
      return opt.unknown(usage);
    } else if (!opt.positional(file, "journal")) {
      return 1;
    }
  }
  if (file.empty()) {
    opt.fail("no journal given");
    usage(stderr);
    return 1;
  }
  std::optional<Principal> who;
  if (!as.empty()) {
    who = principal_from_label(as);
    if (!who)
      return opt.fail("--as expects controller, evaluator, observer or player:TEAM, got '" + as + "'");
    if (!at)
      return opt.fail("--as goes with --at");
  }

  if (verify) {
    std::string error;
    auto journal = read_journal(file, &error, read_options);
    if (!journal) {
      std::fprintf(stderr, "%s\n", error.c_str());
      return 2;
    }
    for (const auto& w : journal->warnings)
      std::fprintf(stderr, "warning: %s\n", w.c_str());
    const std::string scen = scenario_file.empty() ? journal->header.scenario : scenario_file;
    if (!file_hash(scen)) {
      std::fprintf(stderr, "cyberex replay: cannot read the scenario %s named by the journal; give --scenario FILE\n",
                   scen.c_str());
      return 2;
    }
    LoadResult loaded = load_scenario(scen);
    print_diagnostics(loaded.diagnostics);
    if (!loaded.ok())
      return 2;
    // a replay re-runs the exercise: every file must be the one played, or the difference it finds means nothing
    const ScenarioCheck check = check_scenario(journal->header, *loaded.scenario);
    if (!check.unchecked.empty())
      std::fprintf(stderr, "warning: %s: %s\n", file.c_str(), check.unchecked.c_str());
    if (!check.ok()) {
      for (const auto& c : check.changes)
        std::fprintf(stderr, "cyberex replay: %s\n", c.c_str());
      std::fprintf(stderr,
                   "cyberex replay: %s was played on other files: restore them, or play the changed scenario again\n",
                   file.c_str());
      return 2;
    }
    std::string warning;
    const ExerciseOptions eo = cli_exercise_options(&warning);
    if (!warning.empty())
      std::fprintf(stderr, "cyberex replay: warning: %s\n", warning.c_str());
    std::fflush(stdout);
    const VerifyOutcome v = verify_journal(file, *journal, *loaded.scenario, eo);
    if (json) {
      Json j;
      j["journal"] = file;
      j["identical"] = v.ok();
      j["commands"] = v.replayed;
      j["records"] = journal->records.size();
      j["compared"] = v.compared;
      if (!v.ok())
        j["difference"] = v.difference;
      std::printf("%s\n", j.dump().c_str());
    } else if (v.ok()) {
      std::printf("%s: identical: %llu commands replayed, %llu records compared byte for byte\n", file.c_str(),
                  static_cast<unsigned long long>(v.replayed), static_cast<unsigned long long>(v.compared));
    } else {
      std::printf("%s: differs after %llu identical records\n%s\n", file.c_str(),
                  static_cast<unsigned long long>(v.compared), v.difference.c_str());
    }
    return v.ok() ? 0 : 3;
  }

  Timeline timeline;
  std::string error;
  const auto t0 = std::chrono::steady_clock::now();
  TimelineOptions topt;
  topt.scenario = scenario_file;
  topt.read = read_options;
  if (!timeline.open(file, &error, topt)) {
    std::fprintf(stderr, "%s\n", error.c_str());
    return 2;
  }
  const double open_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  for (const auto& w : timeline.warnings())
    std::fprintf(stderr, "warning: %s\n", w.c_str());
  if (bench > 0) {
    // seek to times spread over the journal in a scrambled but fixed order (so the snapshots are not walked in turn)
    const double d = timeline.duration();
    double worst = 0, total = 0;
    for (std::uint64_t i = 0; i < bench; ++i) {
      const double t = d * static_cast<double>((i * 7919) % bench) / static_cast<double>(bench);
      const auto s0 = std::chrono::steady_clock::now();
      const std::string state = timeline.state_at(t);
      const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - s0).count();
      worst = std::max(worst, ms);
      total += ms;
    }
    std::printf("%s: %zu records, opened in %.1f ms; %llu seeks over %s: mean %.2f ms, max %.2f ms\n", file.c_str(),
                timeline.records().size(), open_ms, static_cast<unsigned long long>(bench), hms(d).c_str(),
                total / static_cast<double>(bench), worst);
    return 0;
  }
  if (at) {
    const std::string state = who ? timeline.state_at(*at, *who) : timeline.state_at(*at);
    if (json)
      std::printf("%s\n", state.c_str());
    else
      print_state(Json::parse(state));
    return 0;
  }
  const JournalHeader& h = timeline.header();
  if (json) {
    Json j = Json::parse(h.to_json());
    j["commands"] = timeline.commands().size();
    j["records"] = timeline.records().size();
    j["duration"] = timeline.duration();
    j["ended"] = timeline.end().has_value();
    std::printf("%s\n", j.dump().c_str());
    return 0;
  }
  std::printf("%s: journal format %d, written by cyberex %s (%s)\n", file.c_str(), h.format, h.version.c_str(),
              h.origin.c_str());
  std::printf("scenario %s (%s), seed %llu\n", h.scenario.c_str(), h.scenario_hash.c_str(),
              static_cast<unsigned long long>(h.seed));
  std::printf("%zu commands, %zu records, %s simulated%s\n", timeline.commands().size(), timeline.records().size(),
              hms(timeline.duration()).c_str(),
              timeline.end() ? (", ended (" + timeline.end()->state + ")").c_str()
                             : ", no end line (still running "
                               "or stopped by a crash)");
  return 0;
}

} // namespace cyberex::cli

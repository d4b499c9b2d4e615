/* cyberex run SCENARIO: simulate headless at full speed, then print the KPI table (or --json). */
#include "commands.hpp"
#include "options.hpp"

#include "cyberex/engine.hpp"
#include "cyberex/exercise_time.hpp"
#include "cyberex/journal.hpp"
#include "cyberex/scenario.hpp"

#include <chrono>
#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>

namespace cyberex::cli {
namespace {

void usage(std::FILE* out)
{
  std::fprintf(
      out, "usage: cyberex run SCENARIO [--seed N] [--until TIME] [--play FILE] [--events FILE] [--json] [--quiet]\n"
           "                   [--exact-probes] [--per-flow-floods]\n\n"
           "Simulates the scenario headless at full speed and prints its KPIs.\n\n"
           "options:\n"
           "  --seed N        random seed (default: the scenario's exercise.seed)\n"
           "  --until TIME    simulated duration, e.g. 8h, 90m (default: the exercise duration)\n"
           "  --play FILE     scripted team actions: {\"responses\": [{\"at\": \"1h10m\", \"team\": ..., \"action\": "
           "...}]},\n"
           "                  played through the exercise session as 'cyberex play' plays them (the same rules; a\n"
           "                  refused response is reported on stderr and not applied)\n"
           "  --events FILE   write every event as JSON Lines to FILE ('-' for stdout)\n"
           "  --json          print the KPIs as one JSON object instead of a table\n"
           "  --quiet         no progress on stderr\n"
           "  --exact-probes  every availability probe as SimGrid transfers (default: a probe on a path without\n"
           "                  other traffic is timed in closed form, the same figure; docs/engine.md)\n"
           "  --per-flow-floods  one SimGrid flow pair per bot (default: one per wave and attach node, weighted as\n"
           "                  its bots: the same shares; docs/engine.md)\n"
           "  --help          show this help\n\n"
           "exit status: 0 done, 1 usage error, 2 invalid scenario or play file, or a response was refused (the KPIs\n"
           "are printed all the same)\n");
}

std::string hms(double t)
{
  if (!(t < NEVER))
    return "-";
  const long s = static_cast<long>(t + 0.5);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%ldh%02ldm%02lds", s / 3600, (s / 60) % 60, s % 60);
  return buf;
}

std::string megabytes(double bytes)
{
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f MB", bytes / 1e6);
  return buf;
}

void print_table(const Kpis& k, double wall)
{
  std::printf("simulated %s in %.3f s wall, %" PRIu64 " events\n\n", hms(k.time).c_str(), wall, k.events);
  std::printf("%-34s %s\n", "nodes compromised (max / at end)",
              (std::to_string(k.compromised_max) + " / " + std::to_string(k.compromised_end)).c_str());
  std::printf("%-34s %.3f MWh, %.1f customer-hours (peak %.1f MW)\n", "power lost", k.mwh_lost, k.customer_hours_lost,
              k.mw_lost_max);
  std::printf("%-34s %d true, %d false\n", "alerts", k.alerts_true, k.alerts_false);
  std::printf("\n%-24s %-10s %12s %8s %12s %12s %12s\n", "campaign", "status", "exfiltrated", "steps", "compromise",
              "to detect", "to contain");
  for (const auto& c : k.campaigns)
    std::printf("%-24s %-10s %12s %8d %12s %12s %12s\n", c.id.c_str(), c.status.c_str(),
                megabytes(c.bytes_exfiltrated).c_str(), c.steps_succeeded, hms(c.first_compromise).c_str(),
                hms(c.time_to_detect).c_str(), hms(c.time_to_contain).c_str());
  // availability: the time-weighted status its probes measured (ground truth if not probed), degraded counting half
  std::printf("\n%-24s %12s %8s %12s %12s %12s\n", "service", "availability", "measured", "degraded", "unavailable",
              "downtime");
  for (const auto& s : k.services)
    std::printf("%-24s %11.2f%% %8s %12s %12s %12s\n", s.id.c_str(), 100 * s.availability,
                s.probed ? "probes" : "truth", hms(s.degraded).c_str(), hms(s.unavailable).c_str(),
                hms(s.downtime).c_str());
}

} // namespace

int cmd_run(const Args& args)
{
  std::string file, play, events;
  std::optional<std::uint64_t> seed;
  std::optional<double> until;
  bool json = false;
  bool quiet = false;
  bool exact_probes = false;
  bool per_flow_floods = false;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    auto value = [&](const char* name) -> const std::string* {
      if (i + 1 >= args.size()) {
        std::fprintf(stderr, "cyberex run: %s needs a value\n", name);
        return nullptr;
      }
      return &args[++i];
    };
    if (a == "--help" || a == "-h") {
      usage(stdout);
      return 0;
    } else if (a == "--seed") {
      const std::string* v = value("--seed");
      if (!v)
        return 1;
      char* end = nullptr;
      const unsigned long long s = std::strtoull(v->c_str(), &end, 10);
      if (v->empty() || *end != '\0' || (*v)[0] == '-') {
        std::fprintf(stderr, "cyberex run: --seed expects a non-negative integer, got '%s'\n", v->c_str());
        return 1;
      }
      seed = s;
    } else if (a == "--until") {
      const std::string* v = value("--until");
      if (!v)
        return 1;
      until = parse_exercise_time(*v);
      if (!until) {
        std::fprintf(stderr, "cyberex run: --until expects %s, got '%s'\n", exercise_time_forms().c_str(), v->c_str());
        return 1;
      }
    } else if (a == "--play") {
      const std::string* v = value("--play");
      if (!v)
        return 1;
      play = *v;
    } else if (a == "--events") {
      const std::string* v = value("--events");
      if (!v)
        return 1;
      events = *v;
    } else if (a == "--json") {
      json = true;
    } else if (a == "--quiet" || a == "-q") {
      quiet = true;
    } else if (a == "--exact-probes") {
      exact_probes = true;
    } else if (a == "--per-flow-floods") {
      per_flow_floods = true;
    } else if (a.size() > 1 && a[0] == '-') {
      std::fprintf(stderr, "cyberex run: unknown option '%s'\n", a.c_str());
      usage(stderr);
      return 1;
    } else if (file.empty()) {
      file = a;
    } else {
      std::fprintf(stderr, "cyberex run: one scenario only (got '%s' and '%s')\n", file.c_str(), a.c_str());
      return 1;
    }
  }
  if (file.empty()) {
    std::fprintf(stderr, "cyberex run: no scenario file given\n");
    usage(stderr);
    return 1;
  }

  const auto wall0 = std::chrono::steady_clock::now();
  LoadResult loaded;
  std::vector<Command> commands;
  if (!load_scenario_and_play(file, play, loaded, commands))
    return 2;
  const Scenario& scenario = *loaded.scenario;

  std::FILE* out = nullptr;
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> owned(nullptr, std::fclose);
  if (events == "-") {
    out = stdout;
  } else if (!events.empty()) {
    owned.reset(std::fopen(events.c_str(), "w"));
    if (!owned) {
      std::fprintf(stderr, "cyberex run: cannot write '%s'\n", events.c_str());
      return 1;
    }
    out = owned.get();
  }

  std::string warning;
  ExerciseOptions exercise = cli_exercise_options(&warning);
  if (!warning.empty())
    std::fprintf(stderr, "cyberex run: warning: %s\n", warning.c_str());
  SimulationOptions& options = exercise.simulation;
  options.seed = seed;
  options.exact_probes = exact_probes;
  options.flood = per_flow_floods ? FloodModel::per_flow : FloodModel::aggregated;
  Simulation::EventSink sink;
  if (out)
    sink = [out](const Event& e) {
      const std::string line = e.to_json();
      std::fwrite(line.data(), 1, line.size(), out);
      std::fputc('\n', out);
    };
  std::fflush(stdout);
  std::fflush(stderr);
  auto last_report = std::chrono::steady_clock::now();
  auto progress = [&](double t, double end) {
    const auto now = std::chrono::steady_clock::now();
    if (!quiet && std::chrono::duration<double>(now - last_report).count() > 2) {
      std::fprintf(stderr, "cyberex run: %s of %s simulated\n", hms(t).c_str(), hms(end).c_str());
      last_report = now;
    }
  };

  if (!play.empty()) {
    // Responses are played through the exercise session, exactly as `cyberex play` plays them (docs/events.md, "Play
    // files"): a team acts on its own assets, with indicators it has received, while the exercise runs; a response
    // the session refuses is reported with play's message and never applied.
    const double duration = scenario.exercise.duration;
    if (until && *until > duration) {
      std::fprintf(stderr,
                   "cyberex run: --until %s is after the end of the exercise (%s): with --play the responses are "
                   "played in the exercise, which ends there; drop --until or give a time up to the end\n",
                   hms(*until).c_str(), hms(duration).c_str());
      return 1;
    }
    PlayOptions po;
    po.until = until;
    po.exercise = std::move(exercise);
    po.exercise.world_events = sink;
    const double end = until.value_or(duration);
    po.progress = [&](double t) { progress(t, end); };
    const PlayOutcome o = play_exercise(scenario, po, responses_to_commands(commands, scenario, play));
    if (!o.ok) {
      std::fprintf(stderr, "cyberex run: %s\n", o.error.c_str());
      return 1;
    }
    if (out)
      std::fflush(out);
    for (const auto& r : o.rejected)
      std::fprintf(stderr, "%s\n", r.c_str());
    for (const auto& r : o.not_issued)
      std::fprintf(stderr, "%s\n", r.c_str());
    const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall0).count();
    if (json)
      std::printf("%s\n", o.kpis.c_str());
    else
      print_table(o.final_kpis, wall);
    std::fflush(stdout);
    return o.rejected.empty() ? 0 : 2;
  }

  // no responses: the world alone, which may run past the exercise's end (--until)
  Simulation sim(scenario, options, sink);
  const double end = until.value_or(scenario.exercise.duration);
  // advance in slices so a long run can show progress; slicing does not change the result (checked by a test)
  const double slice = 3600;
  for (double t = std::min(slice, end);; t = std::min(t + slice, end)) {
    sim.advance_to(t);
    progress(t, end);
    if (t >= end)
      break;
  }
  if (out)
    std::fflush(out);
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall0).count();
  const Kpis k = sim.kpis();
  if (json)
    std::printf("%s\n", kpis_to_json(k).c_str());
  else
    print_table(k, wall);
  std::fflush(stdout);
  return 0;
}

} // namespace cyberex::cli

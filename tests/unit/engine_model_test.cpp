/* Hand-checkable model numbers: campaigns and reachability, sensors, power balance, cascades, the calendar. */
#include "engine/random.hpp"
#include "engine_support.hpp"

#include <doctest/doctest.h>

#include <fcntl.h>

#include <csignal>
#include <cstdlib>

using namespace cyberex;
using namespace cyberex::test;

namespace {

Command command(double t, const std::string& team, const std::string& action, const std::string& target = "")
{
  Command c;
  c.time = t;
  c.team = team;
  c.action = action;
  c.target = target;
  return c;
}

// att (attacker) -- fw -- sw -- ws (workstation, CVE-1 enables T1566.001)
//                            \-- fs (file server), link sw-fs denies rdp
Builder office(const std::string& lateral_protocol, double phish_probability = 1, int retries = 0)
{
  Builder b;
  office_network(b).firewall.push_back(FirewallRule{FirewallAction::deny, "rdp", FirewallRule::Direction::both});
  b.indicator("ioc-mail");
  b.team("cert", {"node:ws", "node:fs"});
  b.action(ActionType::isolate, 0);
  b.action(ActionType::reconnect, 0);
  b.action(ActionType::patch, 0);
  Campaign c;
  c.id = "apt";
  c.c2.node = "att";
  c.c2.beacon_interval = 1e6;
  Step phish = step("phish", "T1566.001", "external", "node:ws", 600, StepEffect::compromise);
  phish.requires_.vulnerability = true;
  phish.probability = phish_probability;
  phish.retries = retries;
  phish.indicators = {"ioc-mail"};
  c.steps.push_back(phish);
  Step lateral = step("lateral", "T1021", "compromised", "node:fs", 600, StepEffect::compromise);
  lateral.protocol = lateral_protocol;
  c.steps.push_back(lateral);
  b.sc.campaigns.push_back(c);
  Sensor s;
  s.id = "edr";
  s.team = "cert";
  s.kind = "edr";
  s.covers = {"node:ws"};
  s.detects = {"T1566"};
  s.probability = 1;
  s.delay = fixed(300);
  b.sc.sensors.push_back(s);
  b.done();
  return b;
}

} // namespace

TEST_SUITE("engine-campaign")
{
  TEST_CASE("steps in order over permitted paths: phish at 600 s, lateral movement over smb at 1200 s")
  {
    auto r = run(office("smb").sc, 3600);
    CHECK(times(events_of(r, "node_compromised")) == std::vector<double>{600, 1200});
    CHECK(events_of(r, "node_compromised")[1]["subject"] == "node:fs");
    CHECK(r["kpis"]["campaigns"][0]["status"] == "finished");
    CHECK(r["kpis"]["nodes_compromised"]["max"] == 2);
  }

  TEST_CASE("a firewall rule denying rdp on the only path makes the campaign wait")
  {
    auto r = run(office("rdp").sc, 3600);
    CHECK(times(events_of(r, "node_compromised")) == std::vector<double>{600});
    auto waiting = events_of(r, "campaign_waiting");
    REQUIRE(waiting.size() == 1);
    CHECK(waiting[0]["time"].get<double>() == 600);
    CHECK(waiting[0]["details"]["step"] == "lateral");
    CHECK(r["kpis"]["campaigns"][0]["status"] == "waiting");
  }

  TEST_CASE("isolating the target during the attempt interrupts it; after reconnection the campaign resumes")
  {
    // isolated at 300, reconnected at 1000; the re-check at 600 + 600 starts a new attempt that ends at 1800
    auto r = run(office("smb").sc, 3600,
                 {command(300, "cert", "isolate", "node:ws"), command(1000, "cert", "reconnect", "node:ws")});
    auto attempts = events_of(r, "step_attempt");
    REQUIRE(attempts.size() >= 2);
    CHECK(attempts[0]["details"]["outcome"] == "interrupted");
    CHECK(attempts[0]["time"].get<double>() == 600);
    CHECK(times(events_of(r, "node_compromised")) == std::vector<double>{1800, 2400});
  }

  TEST_CASE("patching the vulnerability the step needs leaves no eligible target")
  {
    Command patch = command(100, "cert", "patch", "node:ws");
    patch.vulnerability = "CVE-1";
    auto r = run(office("smb").sc, 3600, {patch});
    CHECK(events_of(r, "node_patched").size() == 1);
    CHECK(events_of(r, "node_compromised").empty());
    CHECK(r["kpis"]["campaigns"][0]["status"] == "waiting");
  }

  TEST_CASE("a step that always fails is retried, then the campaign stops")
  {
    auto r = run(office("smb", 0.0, 2).sc, 3600);
    CHECK(times(events_of(r, "step_attempt")) == std::vector<double>{600, 1200, 1800});
    CHECK(events_of(r, "step_failed").size() == 1);
    CHECK(r["kpis"]["campaigns"][0]["status"] == "failed");
  }

  TEST_CASE("sensor: probability 1, fixed 5 min delay: one alert per attempt with the step's indicators, no truth")
  {
    auto r = run(office("smb").sc, 3600);
    auto alerts = events_of(r, "alert", "team:cert");
    REQUIRE(alerts.size() == 1); // the lateral step (T1021) is not in the sensor's list
    CHECK(alerts[0]["time"].get<double>() == 900);
    CHECK(alerts[0]["details"]["technique"] == "T1566.001");
    CHECK(alerts[0]["details"]["node"] == "ws");
    CHECK(alerts[0]["details"]["indicators"] == nlohmann::json::array({"ioc-mail"}));
    CHECK_FALSE(alerts[0]["details"].contains("campaign"));
    CHECK(r["kpis"]["campaigns"][0]["time_to_detect"].get<double>() == 900);
    CHECK(r["kpis"]["alerts"]["true"] == 1);
  }

  TEST_CASE("false positives: a Poisson process per sensor, no indicators")
  {
    Builder b = office("smb");
    b.sc.sensors[0].false_positives_per_day = 240; // mean 6 min
    auto r = run(b.sc, 86400);
    const int fp = r["kpis"]["alerts"]["false"].get<int>();
    // The exact count is the Poisson process's arithmetic on its own stream (docs/engine.md: xoshiro256** seeded from
    // the seed and "false-positives:edr"): the first gap is drawn when the world is built, then each false positive
    // draws its node (one of 1) and its technique (one of 1) before the next gap; gaps are exponential with mean
    // 86400 / 240 = 360 s, delivered at once (no delay for false positives); every one at t <= 86400 s counts.
    Rng stream(b.sc.exercise.seed, "false-positives:edr");
    int expected = 0;
    for (double t = stream.exponential(360); t <= 86400; t += stream.exponential(360)) {
      ++expected;
      stream.below(1);
      stream.below(1);
    }
    CHECK(fp == expected);
    // and the stream is a Poisson process of mean 240 a day: within 4 standard deviations (sqrt(240) = 15.5)
    CHECK(std::abs(expected - 240) < 62);
    for (const auto& a : events_of(r, "alert"))
      if (a["details"]["indicators"].empty())
        CHECK(a["details"]["node"] == "ws");
  }

  TEST_CASE("commands are validated: unknown node, indicator, team give an error, not an exception")
  {
    Builder b = office("smb");
    CHECK(validate_command(command(0, "cert", "isolate", "node:nope"), b.sc) == "target 'node:nope' matches no node");
    Command blk = command(0, "cert", "block");
    blk.indicator = "ioc-x";
    CHECK(validate_command(blk, b.sc) == "no indicator 'ioc-x'");
    CHECK(validate_command(command(0, "ghost", "isolate", "node:ws"), b.sc) == "no team 'ghost'");
    CHECK(validate_command(command(0, "cert", "explode", "node:ws"), b.sc).rfind("unknown action 'explode'", 0) == 0);
    CHECK(validate_command(command(0, "cert", "isolate", "node:ws"), b.sc) == "");
  }
}

namespace {

// Grid north: g1 200 MW + g2 150 MW + 20 MW reserve; substations A (180 MW, 200k customers, priority 2) and
// B (120 MW, 150k, priority 1); plc controls g1; the campaign trips g1 through the plc at 1 h.
Builder grid_world()
{
  Builder b;
  north_grid(b, "g1");
  b.team("ops", {"node:g1", "node:g2", "node:plc"});
  b.action(ActionType::manual_operations, 0, 0, 0.6);
  b.action(ActionType::restore, 0, 0);
  Service pa;
  pa.id = "power-a";
  pa.node = "A";
  b.sc.services.push_back(pa);
  water_and_blackout(b, 7200, "generator");
  b.done();
  return b;
}

} // namespace

TEST_SUITE("engine-power")
{
  TEST_CASE("tripping g1 leaves 170 MW for 300 MW: B then A are shed, 300 MWh and 350k customer-hours in 1 h")
  {
    auto r = run(grid_world().sc, 7200);
    auto balance = events_of(r, "grid_balance", "grid:north");
    REQUIRE(balance.size() == 2);
    CHECK(balance[0]["details"]["lost_mw"] == 0);
    CHECK(balance[1]["time"].get<double>() == 3600);
    CHECK(balance[1]["details"]["available"].get<double>() == 170);
    CHECK(balance[1]["details"]["lost_mw"].get<double>() == 300);
    CHECK(balance[1]["details"]["customers_lost"] == 350000);
    auto lost = events_of(r, "load_lost");
    REQUIRE(lost.size() == 2);
    CHECK(lost[0]["subject"] == "node:A"); // reported in node order; both shed at the same time
    CHECK(r["kpis"]["power"]["mwh_lost"].get<double>() == doctest::Approx(300));
    CHECK(r["kpis"]["power"]["customer_hours_lost"].get<double>() == doctest::Approx(350000));
  }

  TEST_CASE("manual operations at 30 min: g1 runs at 60 % and ignores the trip; only B is shed, 1.5 h x 120 MW")
  {
    auto r = run(grid_world().sc, 7200, {command(1800, "ops", "manual_operations", "node:g1")});
    CHECK(events_of(r, "manual_override", "node:g1").size() == 1);
    auto lost = events_of(r, "load_lost");
    REQUIRE(lost.size() == 1);
    CHECK(lost[0]["subject"] == "node:B");
    CHECK(lost[0]["time"].get<double>() == 1800);
    CHECK(r["kpis"]["power"]["mwh_lost"].get<double>() == doctest::Approx(180));
    CHECK(r["kpis"]["power"]["customer_hours_lost"].get<double>() == doctest::Approx(225000));
  }

  TEST_CASE("a tripped unit taken over by manual operations restarts: nothing for its hot start's 1 h, then 60 %")
  {
    // g1 trips at 1 h (the campaign's step of 0 s at its start): 150 + 20 = 170 MW for 300 MW, A and B are shed.
    // Manual operations on g1 at 1 h 30 min: g1 was stopped by the trip, so it restarts (hot start, default 1 h)
    // and delivers 0.6 x 200 = 120 MW only from 2 h 30 min: 290 MW, B (priority 1, 120 MW) stays shed, A is back.
    //   1 h .. 2 h 30 min: 300 MW x 1.5 h = 450 MWh, 350,000 customers x 1.5 h = 525,000 customer-hours
    //   2 h 30 min .. 4 h: 120 MW x 1.5 h = 180 MWh, 150,000 customers x 1.5 h = 225,000 customer-hours
    // Without the restart A would be back at 1 h 30 min: 150 + 360 = 510 MWh.
    Builder b = grid_world();
    CHECK(b.sc.nodes[b.at("g1")].restart_time == 3600); // the model's default: a hot start
    auto r = run(b.sc, 4 * 3600, {command(5400, "ops", "manual_operations", "node:g1")});
    // unit_output says changes (none at 0 s: the unit runs as built): the trip, the restart, the manual output
    auto g1 = events_of(r, "unit_output", "node:g1");
    REQUIRE(g1.size() == 3);
    CHECK(times(g1) == std::vector<double>{3600, 5400, 9000});
    CHECK(g1[0]["details"]["mode"] == "tripped");
    CHECK(g1[1]["details"]["mode"] == "starting");
    CHECK(g1[1]["details"]["mw"].get<double>() == 0);
    CHECK(g1[1]["details"]["online_at"].get<double>() == 9000);
    CHECK(g1[2]["details"]["mode"] == "manual");
    CHECK(g1[2]["details"]["mw"].get<double>() == 120);
    auto restored = events_of(r, "load_restored");
    REQUIRE(restored.size() == 1);
    CHECK(restored[0]["subject"] == "node:A");
    CHECK(restored[0]["time"].get<double>() == 9000);
    CHECK(r["kpis"]["power"]["mwh_lost"].get<double>() == doctest::Approx(630));
    CHECK(r["kpis"]["power"]["customer_hours_lost"].get<double>() == doctest::Approx(750000));
  }

  TEST_CASE("a cold start of 6 h: a unit tripped at 1 h and in manual operations at 1 h 30 min delivers at 7 h 30 min")
  {
    // same world, g1 a cold start with the default restart time (6 h, set as the loader sets it): A and B are shed
    // from 1 h to 7 h 30 min (300 MW x 6.5 h = 1,950 MWh), then B alone to 8 h (120 MW x 0.5 h = 60 MWh): 2,010 MWh
    Builder b = grid_world();
    b.sc.nodes[b.at("g1")].start = UnitStart::cold;
    b.sc.nodes[b.at("g1")].restart_time = COLD_START_SECONDS;
    auto r = run(b.sc, 8 * 3600, {command(5400, "ops", "manual_operations", "node:g1")});
    auto restored = events_of(r, "load_restored");
    REQUIRE(restored.size() == 1);
    CHECK(restored[0]["time"].get<double>() == 27000);
    CHECK(r["kpis"]["power"]["mwh_lost"].get<double>() == doctest::Approx(2010));
  }

  TEST_CASE("a restore that clears a trip restarts the unit too: g1 restored at 2 h delivers 200 MW at 2 h 30 min")
  {
    // restart_time 30 min; restore (0 s offline) at 2 h clears the trip, g1 restarts until 2 h 30 min, then
    // 200 + 150 + 20 = 370 MW serves both: 300 MW lost from 1 h to 2 h 30 min = 450 MWh
    Builder b = grid_world();
    b.sc.nodes[b.at("g1")].restart_time = 1800;
    auto r = run(b.sc, 4 * 3600, {command(7200, "ops", "restore", "node:g1")});
    auto g1 = events_of(r, "unit_output", "node:g1");
    REQUIRE(g1.size() == 3);
    CHECK(times(g1) == std::vector<double>{3600, 7200, 9000});
    CHECK(g1[1]["details"]["mode"] == "starting");
    CHECK(g1[2]["details"]["mode"] == "running");
    CHECK(g1[2]["details"]["mw"].get<double>() == 200);
    CHECK(r["kpis"]["power"]["mwh_lost"].get<double>() == doctest::Approx(450));
  }

  TEST_CASE("derating g2 by half: 200 + 75 + 20 = 295 MW < 300 MW, B is shed")
  {
    Builder b = grid_world();
    b.sc.campaigns[0].steps[0].effect = StepEffect::manipulate;
    b.sc.campaigns[0].steps[0].derate = 0.5;
    b.sc.nodes[b.at("plc")].controls = {"g2"};
    b.done();
    auto r = run(b.sc, 7200);
    auto lost = events_of(r, "load_lost");
    REQUIRE(lost.size() == 1);
    CHECK(lost[0]["subject"] == "node:B");
    CHECK(r["kpis"]["power"]["mwh_lost"].get<double>() == doctest::Approx(120));
  }
}

TEST_SUITE("engine-cascade")
{
  TEST_CASE("water depends on A with a 2 h generator: down from 3 h to the restore at 5 h; A's power from 1 h")
  {
    // restore g1 at 5 h: offline 0 s, then its trip is cleared and the grid rebalances (restart time 0 s here: the
    // restart is tested in engine-power)
    Builder b = grid_world();
    b.sc.nodes[b.at("g1")].restart_time = 0;
    auto r = run(b.sc, 6 * 3600, {command(5 * 3600, "ops", "restore", "node:g1")});
    auto water = events_of(r, "service_status", "service:water");
    REQUIRE(water.size() == 2);
    CHECK(water[0]["time"].get<double>() == 3 * 3600);
    CHECK(water[0]["details"]["status"] == "down");
    CHECK(water[0]["details"]["reason"] == "dependency");
    CHECK(water[1]["time"].get<double>() == 5 * 3600);
    CHECK(water[1]["details"]["status"] == "up");
    CHECK(events_of(r, "backup_exhausted").size() == 1);
    const auto& services = r["kpis"]["services"];
    CHECK(services[0]["downtime"].get<double>() == 4 * 3600);
    CHECK(services[1]["downtime"].get<double>() == 2 * 3600);
  }

  TEST_CASE("the backup recharges: power back before it runs out means no outage")
  {
    Builder b = grid_world();
    b.sc.nodes[b.at("g1")].restart_time = 0; // back at the restore (2 h), an hour before the backup (1 h + 2 h) ends
    auto r = run(b.sc, 6 * 3600, {command(2 * 3600, "ops", "restore", "node:g1")});
    CHECK(events_of(r, "service_status", "service:water").empty());
    CHECK(events_of(r, "dependency_lost").size() == 1);
    CHECK(events_of(r, "dependency_restored").size() == 1);
    CHECK(events_of(r, "backup_exhausted").empty());
  }
}

namespace {
std::string trace;
void record(Simulation& sim, std::uint64_t a, std::uint64_t)
{
  char buf[64];
  std::snprintf(buf, sizeof buf, "%c@%.0f ", static_cast<char>(a), sim.now());
  trace += buf;
}
} // namespace

TEST_SUITE("engine-calendar")
{
  TEST_CASE("handlers run in time order, ties in insertion order; advance_to lands on its time; step()")
  {
    const std::string out = in_child([]() {
      Builder b;
      b.done();
      Simulation sim(b.sc);
      sim.schedule(20, record, 'c');
      sim.schedule(10, record, 'a');
      sim.schedule(10, record, 'b');
      sim.schedule(30, record, 'd');
      sim.advance_to(15);
      trace += "| now=" + std::to_string(static_cast<int>(sim.now())) + " ";
      trace += sim.step() ? "stepped " : "no step ";
      trace += "| now=" + std::to_string(static_cast<int>(sim.now())) + " ";
      sim.advance_to(100);
      trace += "| " + std::to_string(sim.events_processed()) + " " + (sim.step() ? "more" : "empty");
      return trace;
    });
    CHECK(out == "a@10 b@10 | now=15 c@20 stepped | now=20 d@30 | 4 empty");
  }

  TEST_CASE("a command applied between steps takes effect at now, deterministically")
  {
    Builder b = office("smb");
    const std::string out = in_child([&]() {
      std::string got;
      Simulation sim(b.sc, {}, [&](const Event& e) {
        if (e.type == cyberex::RecordType::node_isolated)
          got += e.to_json();
      });
      sim.advance_to(250);
      auto res = sim.apply(command(0, "cert", "isolate", "node:fs"));
      sim.advance_to(250);
      return got + " " + std::to_string(res.effective_time);
    });
    CHECK(
        out ==
        R"({"time":250.000,"seq":4,"type":"node_isolated","subject":"node:fs","details":{"team":"cert"}} 250.000000)");
  }

  TEST_CASE("probe rounds are background entries: step() and next_event_time() skip them, advance_to runs them")
  {
    const std::string out = in_child([]() {
      Builder b;
      b.node("P", NodeKind::server);
      b.node("S", NodeKind::web_server);
      b.link("P", "S", 1.25e8, 0.001);
      b.probed_service("web", "S", "P", 1000, 1000);
      b.done();
      Simulation sim(b.sc);
      trace = sim.next_event_time() == NEVER ? "next=never " : "next=? ";
      trace += sim.step() ? "step=more " : "step=empty ";
      sim.schedule(200, record, 'x');
      trace += "next=" + std::to_string(static_cast<int>(sim.next_event_time())) + " ";
      sim.advance_to(300);
      trace += "probes=" + std::to_string(sim.probes_measured(0));
      return trace;
    });
    // rounds at 60, 120, 180, 240 and 300 s; the one of 300 s ends at 300.002 s, after the horizon
    CHECK(out == "next=never step=empty next=200 x@200 probes=4");
  }

  TEST_CASE("a CHECK that fails inside a forked child reaches the parent: in_child says CHILD and exit status 3")
  {
    const std::string out = in_child([]() {
      std::fflush(stdout);
      const int devnull = open("/dev/null", O_WRONLY);
      dup2(devnull, STDOUT_FILENO); // the child's own report of the failure is not this run's output
      CHECK(1 + 1 == 3);
      return std::string("body ran");
    });
    CHECK(out == "CHILD 768 body ran"); // waitpid's status for exit(3): 3 << 8
  }

  TEST_CASE("a second Simulation in one process aborts with a clear message")
  {
    // the child's stderr goes to a pipe; it must die of SIGABRT (not any crash) after exactly this message
    int fd[2];
    REQUIRE(pipe(fd) == 0);
    std::fflush(stdout);
    std::fflush(stderr);
    const pid_t pid = fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
      close(fd[0]);
      dup2(fd[1], STDERR_FILENO);
      std::signal(SIGABRT, SIG_DFL); // no doctest crash report from the child
      Builder b;
      b.done();
      Simulation one(b.sc);
      Simulation two(b.sc);
      _exit(0); // not reached
    }
    close(fd[1]);
    std::string err;
    char buf[4096];
    ssize_t n;
    while ((n = read(fd[0], buf, sizeof buf)) > 0)
      err.append(buf, static_cast<std::size_t>(n));
    close(fd[0]);
    int status = 0;
    REQUIRE(waitpid(pid, &status, 0) == pid);
    CHECK(WIFSIGNALED(status));
    CHECK(WTERMSIG(status) == SIGABRT);
    CHECK(err ==
          "cyberex: only one Simulation may ever exist in a process (SimGrid cannot restart its engine); run each "
          "further simulation in a child process (fork) or another cyberex run\n");
  }
}

/* cyberex play and cyberex replay through the CLI (each run is a child process: one SimGrid engine per process):
 * byte-identical journals for the same inputs, replay --verify matches every recorded line and finds a difference,
 * seeking to random times gives the state of a run straight to them, rejected scripted commands. The Timeline folds
 * in this process (it needs no simulation). Suite journal-replay. */
#include "exercise_child.hpp"
#include "journal_seal.hpp"
#include "journal_support.hpp"

#include "cyberex/journal.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>

using namespace cyberex;
using namespace journal_test;
using Json = nlohmann::ordered_json;

namespace {

const char* tutorial = "scenarios/tutorial/tutorial.json";

const char* script = R"({"at":"45m","as":"player:cert-gov","command":{"id":"g1","type":"read","item":"inj-01"}}
{"at":"45m","as":"player:cert-gov","command":{"id":"g2","type":"message","to":["cert-energy"],"text":"summit phishing","indicators":["ioc-hash"]}}
{"at":"50m","as":"player:cert-gov","command":{"id":"g3","type":"action","action":"isolate","target":"node:gov-fs"}}

{"at":3600,"as":"player:cert-energy","command":{"id":"e1","type":"action","action":"block","indicator":"ioc-hash"}}
{"at":"2h","as":"evaluator","command":{"id":"v1","type":"rate","team":"cert-gov","objective":"obj-share","critical_task":"ct-share","rating":"P"}}
{"at":"2h","as":"controller","command":{"id":"c1","type":"inject_create","inject":{"id":"intel-01","title":"C2 domain","to":["cert-energy"],"indicators":["ioc-c2"]}}}
{"at":"2h","as":"player:cert-energy","command":{"id":"e2","type":"action","action":"block","indicator":"ioc-c2"}}
{"at":"4h10m","as":"player:cert-energy","command":{"id":"e3","type":"action","action":"manual_operations","target":"node:plc-1"}}
)";

/// Play the tutorial with the script into DIR/NAME; returns the journal path.
std::string play(const std::string& dir, const std::string& name, const std::string& extra = "")
{
  spit(dir + "/drill.jsonl", script);
  const Output o = run_cli(std::string("play ") + tutorial + " --script " + dir + "/drill.jsonl --journal " + dir +
                           "/" + name + " --quiet --json" + extra);
  INFO(o.err);
  REQUIRE(o.status == 0);
  return dir + "/" + name;
}

/// splitmix64: the test's own reproducible times
std::uint64_t splitmix(std::uint64_t& s)
{
  std::uint64_t z = (s += 0x9e3779b97f4a7c15ull);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

} // namespace

TEST_SUITE("journal-replay")
{
  TEST_CASE("same scenario, seed and script: byte-identical journals (but for their MACs) and results; another seed "
            "differs")
  {
    const std::string dir = temp_dir();
    const std::string a = play(dir, "a.journal");
    const std::string b = play(dir, "b.journal");
    // each journal has its own random key: the lines are the same, byte for byte, their MACs are not
    CHECK(without_macs(slurp(a)) == without_macs(slurp(b)));
    CHECK(slurp(a) != slurp(b));
    CHECK(slurp(a).size() > 10000);
    // signed with the same key (play --key), the journals are byte-identical, MACs included
    spit(dir + "/drill.jsonl", script);
    for (const char* name : {"k1.journal", "k2.journal"}) {
      const Output o = run_cli(std::string("play ") + tutorial + " --script " + dir + "/drill.jsonl --journal " + dir +
                               "/" + name + " --key " + a + ".key --quiet");
      REQUIRE(o.status == 0);
    }
    CHECK(slurp(dir + "/k1.journal") == slurp(dir + "/k2.journal"));
    CHECK(slurp(dir + "/k1.journal.key") == slurp(a + ".key"));
    CHECK(without_macs(slurp(dir + "/k1.journal")) == without_macs(slurp(a)));
    // another seed: another world (the script is left out: its indicators need the alerts of seed 42)
    Output other = run_cli(std::string("play ") + tutorial + " --seed 43 --journal " + dir + "/c.journal --quiet");
    REQUIRE(other.status == 0);
    other = run_cli(std::string("play ") + tutorial + " --journal " + dir + "/c42.journal --quiet");
    REQUIRE(other.status == 0);
    const std::string c = dir + "/c.journal";
    CHECK(without_macs(slurp(c)) != without_macs(slurp(dir + "/c42.journal")));
    auto jc = read_journal(c);
    REQUIRE(jc);
    CHECK(jc->header.seed == 43);
    // the play's JSON result: 9 commands (the start and 8 scripted), the exercise ended at 8 h
    spit(dir + "/drill.jsonl", script);
    const Output o = run_cli(std::string("play ") + tutorial + " --script " + dir + "/drill.jsonl --journal " + dir +
                             "/d.journal --quiet --json");
    REQUIRE(o.status == 0);
    const Json j = Json::parse(o.out);
    CHECK(j["commands"] == 9);
    CHECK(j["rejected"] == 0);
    CHECK(j["state"] == "ended");
    CHECK(j["time"] == 28800.0);
    CHECK(j["records"] == read_journal(a)->records.size());
    // the controller's block of ioc-c2 took effect: the energy team's C2 indicator is blocked
    CHECK(slurp(a).find(R"("type":"indicator_blocked","subject":"indicator:ioc-c2","details":{"team":"cert-energy")") !=
          std::string::npos);
  }

  TEST_CASE("replay --verify matches every recorded line; a changed record is found with its line")
  {
    const std::string dir = temp_dir();
    const std::string path = play(dir, "v.journal");
    auto c = read_journal(path);
    REQUIRE(c);
    Output o = run_cli("replay " + path + " --verify");
    INFO(o.out, o.err);
    CHECK(o.status == 0);
    CHECK(o.out == path + ": identical: 9 commands replayed, " + std::to_string(c->records.size()) +
                       " records compared byte for byte\n");

    // change one late record (a world event after the last command)
    const std::string text = without_macs(slurp(path));
    const std::size_t n = c->records.size() - 5;
    const std::string line = journal_record_line(c->records[n - 1]);
    const auto at = text.find(line);
    REQUIRE(at != std::string::npos);
    std::string changed = line;
    changed.replace(changed.find("\"time\":"), 7, "\"time\": ");
    const std::string tampered = dir + "/t.journal";
    // edited without the key: its MAC does not verify, nothing is replayed
    {
      std::string sealed = slurp(path);
      const std::size_t line_at = c->record_lines[n - 1];
      const auto starts = line_starts(sealed);
      std::string edited = sealed.substr(starts[line_at - 1], starts[line_at] - starts[line_at - 1]);
      edited.replace(edited.find("\"time\":"), 7, "\"time\": ");
      spit(tampered, sealed.substr(0, starts[line_at - 1]) + edited + sealed.substr(starts[line_at]));
      spit(journal_key_path(tampered), slurp(journal_key_path(path)));
      o = run_cli("replay " + tampered + " --verify");
      CHECK(o.status == 2);
      CHECK(o.err == tampered + ":" + std::to_string(line_at) +
                         ": the integrity chain breaks here: this line was edited, or the line before it removed (its "
                         "MAC does not match its content and the line before it; the next line follows it in the "
                         "chain)\n");
    }
    // edited and MACed again with the key (whoever holds the key can): the replay finds the difference
    seal_journal(text.substr(0, at) + changed + text.substr(at + line.size()), path, tampered, std::nullopt);
    o = run_cli("replay " + tampered + " --verify");
    CHECK(o.status == 3);
    CHECK(o.out.find(tampered + ":" + std::to_string(c->record_lines[n - 1]) + ": record " + std::to_string(n) +
                     " differs:\n  journal: ") != std::string::npos);

    // a journal cut by a crash in the middle of a record (after its last durable point) verifies up to the torn line
    const auto starts = line_starts(text);
    const std::size_t cut_line = c->record_lines[c->records.size() / 2];
    seal_journal(text.substr(0, starts[cut_line - 1] + 20), path, dir + "/cut.journal", cut_line - 1);
    o = run_cli("replay " + dir + "/cut.journal --verify");
    CHECK(o.status == 0);
    CHECK(o.err.find(dir + "/cut.journal:" + std::to_string(cut_line) + ": dropped a torn last line") !=
          std::string::npos);
    CHECK(o.out.find(" records compared byte for byte") != std::string::npos);

    // another scenario file is refused before anything runs
    o = run_cli("replay " + path + " --verify --scenario scenarios/cyber-europe-2012/cyber-europe-2012.json");
    CHECK(o.status == 2);
    // the main file by position, the others by their paths relative to it: each difference named
    const std::string ce = "scenarios/cyber-europe-2012/cyber-europe-2012.json";
    CHECK(o.err.rfind("cyberex replay: " + ce + ": not the scenario the journal was played on (tutorial.json): its " +
                          "hash is " + *file_hash(ce) + ", the journal's is " + *file_hash(tutorial) + "\n",
                      0) == 0);
    CHECK(o.err.find("cyberex replay: scenarios/cyber-europe-2012/world.json: read by the scenario now, not when the "
                     "journal was played\n") != std::string::npos);
    CHECK(o.err.find("cyberex replay: scenarios/topologies/Abilene.graphml: the journal was played with this file; "
                     "the scenario no longer reads it\n") != std::string::npos);
    const std::string last =
        "cyberex replay: " + path + " was played on other files: restore them, or play the changed scenario again\n";
    CHECK(o.err.size() > last.size());
    CHECK(o.err.substr(o.err.size() - last.size()) == last);

    // the key kept elsewhere (with the tokens): without it, a warning; --key names it
    const std::string key = dir + "/kept-elsewhere.key";
    REQUIRE(std::rename(journal_key_path(path).c_str(), key.c_str()) == 0);
    o = run_cli("replay " + path + " --verify");
    CHECK(o.status == 0);
    CHECK(o.err == "warning: " + path + ": cannot check integrity: key file " + path +
                       ".key not found (copy it with the journal)\n");
    o = run_cli("replay " + path + " --verify --key " + key);
    CHECK(o.status == 0);
    CHECK(o.err.empty());
    const std::string other_key = dir + "/another.key";
    spit(other_key, ji::key_text(*ji::random_key()));
    o = run_cli("replay " + path + " --at 1h --key " + other_key);
    CHECK(o.status == 2);
    CHECK(o.err == path + ":1: the header's MAC does not verify with " + other_key +
                       ": the header was edited, or the key file is another journal's\n");
    o = run_cli("report " + path + " --format json --key " + key);
    CHECK(o.status == 0);
    CHECK(o.err.empty());
    o = run_cli("whatif " + path + " --at 1h --json --key " + key +
                " --command '{\"as\":\"player:cert-gov\",\"command\":{\"type\":\"sitrep\",\"text\":\"x\"}}'");
    CHECK(o.status == 0);
    CHECK(o.err.empty());
  }

  TEST_CASE("replay --verify of a journal cut in a quiet period: the replay advances to its last mark")
  {
    const std::string dir = temp_dir();
    const std::string path = play(dir, "m.journal");
    auto c = read_journal(path);
    REQUIRE(c);
    const std::string text = slurp(path);
    const auto starts = line_starts(text);
    // a quiet period of at least a minute between two records, after the tenth record
    std::size_t i = 10;
    while (i + 1 < c->records.size() && !(c->records[i].time + 60 < c->records[i + 1].time))
      ++i;
    REQUIRE(i + 1 < c->records.size());
    const std::size_t line = c->record_lines[i];
    const auto k = static_cast<std::size_t>(std::lower_bound(c->command_lines.begin(), c->command_lines.end(), line) -
                                            c->command_lines.begin());
    const double quiet = (c->records[i].time + c->records[i + 1].time) / 2;
    const std::string cut = dir + "/cut.journal";
    // a server killed at `quiet`: the records up to the i+1th, then its marks
    seal_journal(text.substr(0, starts[line]) + JournalMark{c->records[i].time + 1, i + 1, k}.to_json() + "\n" +
                     JournalMark{quiet, i + 1, k}.to_json() + "\n",
                 path, cut, line);
    Output o = run_cli("replay " + cut + " --verify");
    INFO(o.out, o.err);
    CHECK(o.status == 0);
    CHECK(o.out == cut + ": identical: " + std::to_string(k) + " commands replayed, " + std::to_string(i + 1) +
                       " records compared byte for byte\n");
    auto m = read_journal(cut);
    REQUIRE(m);
    CHECK(journal_time_reached(*m) == quiet);

    // a mark later than the next record, with the same seq: the replay emits that record by the mark's time
    const double late = c->records[i + 1].time + 1;
    seal_journal(text.substr(0, starts[line]) + JournalMark{late, i + 1, k}.to_json() + "\n", path, cut, line);
    o = run_cli("replay " + cut + " --verify");
    CHECK(o.status == 3);
    CHECK(o.out.find(cut + ":" + std::to_string(line + 1) + ": the replay produces record " + std::to_string(i + 2) +
                     " by the mark's time " + Json(late).dump() + " s; the mark says the last record then was " +
                     std::to_string(i + 1) + "\n") != std::string::npos);
  }

  TEST_CASE("a running clock with two commands per tick (1,000 pairs): the journal reads, verifies and reports")
  {
    // issue 11, item 2: commands applied between the ticks of a running clock have exact, non-round times; the
    // records they cause are written rounded to 3 decimals, so the second command of a tick can be below the line
    // before it. A live drill's journal, written as the server writes it (JournalWriter, a sync per command).
    const std::string dir = temp_dir();
    const std::string path = dir + "/running.journal";
    const std::string child = cyberex::test::in_child([&] {
      const Scenario sc = cyberex::test::load_tutorial();
      ExerciseOptions o = cli_exercise_options();
      o.speed = 60;
      JournalHeader h;
      h.scenario = tutorial;
      h.scenario_hash = *file_hash(tutorial);
      h.files = scenario_fingerprint(sc);
      h.seed = sc.exercise.seed;
      h.version = "test";
      h.origin = "serve";
      h.speed = o.speed;
      JournalWriter w;
      if (!w.create(path, h))
        throw std::runtime_error(w.error());
      ExerciseSession session(
          sc, o, [&](const Record& r) { w.record(r); },
          [&](const JournalCommand& c) {
            if (!w.command(c) || !w.sync())
              throw std::runtime_error(w.error());
          });
      const Principal controller{Role::controller, ""}, evaluator{Role::evaluator, ""}, gov{Role::player, "cert-gov"},
          energy{Role::player, "cert-energy"};
      auto send = [&](const Principal& who, const Json& cmd) {
        const Reply r = session.handle(who, cmd.dump());
        if (!r.ok)
          throw std::runtime_error("rejected: " + cmd.dump() + " -> " + r.json);
      };
      send(controller, {{"type", "start"}});
      std::uint64_t seed = 11;
      double wall = 1000;
      session.clock_tick(wall); // the reference
      for (int i = 0; i < 1000; ++i) {
        // ticks of about 50 ms, never round
        wall += 0.05 + static_cast<double>(splitmix(seed) % 10007) * 1e-7;
        session.clock_tick(wall);
        if (session.state() != ClockState::running)
          throw std::runtime_error("the clock stopped");
        // two commands in the same tick: the second one's time is the first one's record's, unrounded
        send(gov, {{"type", "sitrep"}, {"text", "sitrep " + std::to_string(i)}});
        send(i % 2 ? evaluator : energy,
             i % 2 ? Json{{"type", "observe"}, {"text", "seen " + std::to_string(i)}, {"team", "cert-gov"}}
                   : Json{{"type", "message"}, {"to", "cert-gov"}, {"text", "note " + std::to_string(i)}});
        if (i % 100 == 99) {
          // the controller pauses the running clock, then acts, then resumes
          send(controller, {{"type", "pause"}});
          send(evaluator, {{"type", "rate"},
                           {"team", "cert-gov"},
                           {"objective", "obj-share"},
                           {"critical_task", "ct-share"},
                           {"rating", i % 200 == 99 ? "S" : "P"}});
          send(controller, {{"type", "resume"}});
          session.clock_tick(wall); // the reference after resume
        }
      }
      // stopped while running, as a server stopped by SIGTERM: the time reached is marked
      w.mark(JournalMark{session.now(), session.last_seq(), session.journal_index()});
      w.close();
      return Json{{"commands", session.journal_index()}, {"records", session.last_seq()}, {"time", session.now()}}
          .dump();
    });
    INFO(child);
    REQUIRE(child.rfind("CHILD-FAILED", 0) != 0);
    const Json made = Json::parse(child);
    CHECK(made["commands"] == 1 + 2000 + 30);
    CHECK(made["time"].get<double>() > 2900);

    std::string error;
    auto c = read_journal(path, &error);
    REQUIRE_MESSAGE(c, error);
    CHECK(c->warnings.empty());
    CHECK(c->integrity == JournalIntegrity::verified);
    CHECK(c->commands.size() == made["commands"].get<std::size_t>());
    CHECK(c->records.size() == made["records"].get<std::size_t>());
    // the case of the issue happened: a command written below the record line before it (the old reader's error)
    std::size_t below = 0;
    for (std::size_t k = 0; k < c->commands.size(); ++k) {
      const std::size_t before = c->records_before_command[k];
      if (before > 0 && c->record_lines[before - 1] + 1 == c->command_lines[k] &&
          c->commands[k].time < c->records[before - 1].time)
        ++below;
    }
    CHECK(below > 100);
    Timeline tl;
    REQUIRE_MESSAGE(tl.open(path, &error), error);
    CHECK(tl.duration() == made["time"].get<double>());
    const Json state = Json::parse(tl.state_at(tl.duration()));
    CHECK(state["index"] == made["commands"]);

    Output o = run_cli("replay " + path + " --verify");
    INFO(o.out, o.err);
    CHECK(o.status == 0);
    CHECK(o.out == path + ": identical: " + std::to_string(c->commands.size()) + " commands replayed, " +
                       std::to_string(c->records.size()) + " records compared byte for byte\n");
    o = run_cli("report " + path + " --format json -o " + dir + "/aar.json");
    CHECK(o.status == 0);
    CHECK(o.err.empty());
    const Json aar = Json::parse(slurp(dir + "/aar.json"));
    CHECK(aar["overview"]["played"] == std::round(made["time"].get<double>() * 1000) / 1000);
  }

  TEST_CASE("seeking to random times gives the state of a run straight to them")
  {
    const std::string dir = temp_dir();
    const std::string full_path = play(dir, "full.journal");
    Timeline full;
    std::string error;
    TimelineOptions topts;
    topts.snapshot_every = 16;
    REQUIRE_MESSAGE(full.open(full_path, &error, topts), error);
    CHECK(full.duration() == 28800);
    std::uint64_t seed = 20111103;
    for (int i = 0; i < 4; ++i) {
      // whole seconds plus a half: never on a rounded record time
      const double t = static_cast<double>(splitmix(seed) % 28000) + 0.5;
      const std::string part_path =
          play(dir, "part" + std::to_string(i) + ".journal", " --until " + std::to_string(t) + "s");
      Timeline part;
      REQUIRE_MESSAGE(part.open(part_path, &error), error);
      REQUIRE(part.end());
      CHECK(part.end()->time == t);
      CHECK(part.end()->state == "running");
      INFO("t = ", t);
      // the run to t wrote a prefix of the full journal's records
      const std::string ptext = without_macs(slurp(part_path)), ftext = without_macs(slurp(full_path));
      const std::string pbody = ptext.substr(0, ptext.rfind("{\"end\""));
      CHECK(ftext.substr(0, pbody.size()) == pbody);
      const std::string a = full.state_at(t), b = part.state_at(t);
      CHECK(a == b);
      const Json s = Json::parse(a);
      CHECK(s["time"] == t);
      CHECK(s["seq"] == part.records().size());
      CHECK(s["index"] == part.commands().size());
      CHECK(full.state_at(t, Principal{Role::player, "cert-gov"}) ==
            part.state_at(t, Principal{Role::player, "cert-gov"}));
    }
  }

  TEST_CASE("state at a time: hand-checkable facts of the tutorial drill, and what each role sees")
  {
    const std::string dir = temp_dir();
    Timeline tl;
    std::string error;
    REQUIRE_MESSAGE(tl.open(play(dir, "s.journal"), &error), error);
    // at 46 min: inj-01 delivered at 15 min to both teams, read by cert-gov at 45 min; cert-gov's message at 45 min
    const Json s = Json::parse(tl.state_at(2760));
    CHECK(s["clock"]["state"] == "running");
    CHECK(s["index"] == 3); // start, read, message
    Json gov, energy;
    for (const auto& t : s["teams"])
      (t["team"] == "cert-gov" ? gov : energy) = t;
    REQUIRE(gov["inbox"].size() >= 1);
    CHECK(gov["inbox"][0]["item"] == "inj-01");
    CHECK(gov["inbox"][0]["time"] == 900.0);
    CHECK(gov["inbox"][0]["read"] == true);
    CHECK(gov["inbox"][0]["read_at"] == 2700.0);
    bool got_message = false;
    for (const auto& i : energy["inbox"])
      if (i["kind"] == "message") {
        got_message = true;
        CHECK(i["from"] == "cert-gov");
        CHECK(i["content"] == "summit phishing");
        CHECK(i["indicators"] == Json::array({"ioc-hash"}));
      }
    CHECK(got_message);
    CHECK(std::find(energy["known_indicators"].begin(), energy["known_indicators"].end(), "ioc-hash") !=
          energy["known_indicators"].end());
    CHECK(s.contains("truth"));
    CHECK(s.contains("msel"));
    // a player sees its own team only; an observer the clock and the leaderboard
    const Json p = Json::parse(tl.state_at(2760, Principal{Role::player, "cert-energy"}));
    CHECK(!p.contains("truth"));
    CHECK(!p.contains("teams"));
    CHECK(!p.contains("msel"));
    CHECK(p["team"] == energy);
    const Json o = Json::parse(tl.state_at(2760, Principal{Role::observer, ""}));
    std::vector<std::string> keys;
    for (auto it = o.begin(); it != o.end(); ++it)
      keys.push_back(it.key());
    std::sort(keys.begin(), keys.end());
    const std::vector<std::string> observer_keys{"clock", "exercise", "index", "leaderboard", "role", "seq", "time"};
    CHECK_MESSAGE(keys == observer_keys, o.dump());
    // at the end: ended, the last leaderboard is the final one
    const Json e = Json::parse(tl.state_at(28800));
    CHECK(e["clock"]["state"] == "ended");
    // the White Cell's leaderboard is the live one: the final leaderboard record's, less its reason
    Json last_board;
    for (const auto& r : tl.records())
      if (r.type == RecordType::leaderboard)
        last_board = Json::parse(r.json)["details"];
    CHECK(last_board["reason"] == "end");
    last_board.erase("reason");
    CHECK(e["leaderboard"] == last_board);
    // an observer's is the final standings
    CHECK(Json::parse(tl.state_at(28800, Principal{Role::observer, ""}))["leaderboard"]["final"] == true);
    // before the start nothing has happened yet but the world's initial records
    const Json z = Json::parse(tl.state_at(0));
    CHECK(z["index"] == 1);
    CHECK(z["truth"]["compromised"].empty());
  }

  TEST_CASE("replay --at: one time grammar; the clock's move and next inject at that time; past the end, the end and a "
            "note")
  {
    // The tutorial's moves start at 0 (move-1) and 4 h (move-2); its timed injects are inj-01 at 15 min and inj-05
    // at 4 h (the script meets exp-share at 45 min, so the contingency inj-02 never comes). The journal stops at 5 h.
    const std::string dir = temp_dir();
    const std::string j = play(dir, "until5h.journal", " --until 5h");
    const auto first_line = [](const std::string& out) { return out.substr(0, out.find('\n')); };
    // 10 min: move-1, inj-01 next at 15 min
    Output o = run_cli("replay " + j + " --at 10m");
    REQUIRE_MESSAGE(o.status == 0, o.err);
    CHECK(o.err == "");
    CHECK(first_line(o.out).rfind("state at 0h10m00s (600.000 s): clock running, move-1, next inject 0h15m00s, ", 0) ==
          0);
    // 1 h 30 min written four ways: the same state; move-1, inj-05 next at 4 h
    o = run_cli("replay " + j + " --at 90m");
    REQUIRE(o.status == 0);
    CHECK(first_line(o.out).rfind("state at 1h30m00s (5400.000 s): clock running, move-1, next inject 4h00m00s, ", 0) ==
          0);
    for (const char* same : {"5400", "1:30", "1h30m"})
      CHECK(run_cli("replay " + j + " --at " + same).out == o.out);
    // 4 h 30 min: move-2, no timed inject left
    o = run_cli("replay " + j + " --at 4h30m --json");
    REQUIRE(o.status == 0);
    const Json at430 = Json::parse(o.out);
    CHECK(at430["clock"]["move"] == "move-2");
    CHECK(!at430["clock"].contains("next_inject"));
    // a player's clock does not tell the MSEL
    const Json player = Json::parse(run_cli("replay " + j + " --at 10m --as player:cert-gov --json").out);
    CHECK(player["clock"]["move"] == "move-1");
    CHECK(!player["clock"].contains("next_inject"));
    CHECK(Json::parse(run_cli("replay " + j + " --at 10m --json").out)["clock"]["next_inject"] == 900.0);
    // past the end: the state at 5 h, with a note; the losses are those at the end, not integrated further
    o = run_cli("replay " + j + " --at 5h20m");
    REQUIRE(o.status == 0);
    CHECK(o.err == "cyberex replay: note: 5h20m00s is past the end of the journal (5h00m00s): showing 5h00m00s\n");
    const Output at_end = run_cli("replay " + j + " --at 5h");
    CHECK(at_end.err == "");
    CHECK(o.out == at_end.out);
    CHECK(first_line(o.out).rfind("state at 5h00m00s (18000.000 s): clock ", 0) == 0);
    const Json late = Json::parse(run_cli("replay " + j + " --at 10h --json").out);
    const Json end = Json::parse(run_cli("replay " + j + " --at 5h --json").out);
    CHECK(late["truth"]["kpis"]["power"] == end["truth"]["kpis"]["power"]);
    // not a time: refused with the forms
    o = run_cli("replay " + j + " --at 5h20");
    CHECK(o.status == 1);
    CHECK(o.err == "cyberex replay: --at expects a time from the start such as \"5h20m\", \"90m\", \"3600\" (seconds) "
                   "or \"5:20\", got '5h20'\n");
  }

  TEST_CASE("scripts: a rejected command is reported with its line and exit status 2; bad lines are located")
  {
    const std::string dir = temp_dir();
    spit(dir + "/bad.jsonl",
         "{\"at\":\"10m\",\"as\":\"player:cert-energy\",\"command\":{\"id\":\"x\",\"type\":\"action\",\"action\":"
         "\"block\",\"indicator\":\"ioc-c2\"}}\n"
         "{\"at\":\"20m\",\"as\":\"observer\",\"command\":{\"type\":\"pause\"}}\n");
    Output o = run_cli(std::string("play ") + tutorial + " --script " + dir + "/bad.jsonl --journal " + dir +
                       "/r.journal --quiet --until 1h");
    CHECK(o.status == 2);
    CHECK(o.err.find(dir +
                     "/bad.jsonl:1: rejected: {\"id\":\"x\",\"ok\":false,\"error\":{\"code\":\"unknown-indicator\"") !=
          std::string::npos);
    CHECK(o.err.find(dir + "/bad.jsonl:2: rejected: {\"id\":\"\",\"ok\":false,\"error\":{\"code\":\"forbidden\"") !=
          std::string::npos);
    auto c = read_journal(dir + "/r.journal");
    REQUIRE(c); // the exercise still ran to the end and the journal is complete
    CHECK(c->end);
    CHECK(c->commands.size() == 1);

    spit(dir + "/syntax.jsonl", "{\"at\":\"10m\",\"as\":\"controller\",\"command\":{\"type\":\"pause\"}}\n"
                                "{\"at\":\"ten\",\"as\":\"controller\",\"command\":{\"type\":\"pause\"}}\n");
    o = run_cli(std::string("play ") + tutorial + " --script " + dir + "/syntax.jsonl --journal " + dir +
                "/s.journal --quiet");
    CHECK(o.status == 2);
    CHECK(o.err.rfind(dir + "/syntax.jsonl:2: (/at) expected seconds >= 0 or ", 0) == 0);
    spit(dir + "/syntax.jsonl", "{\"at\":\"10m\",\"as\":\"player\",\"command\":{\"type\":\"pause\"}}\n");
    o = run_cli(std::string("play ") + tutorial + " --script " + dir + "/syntax.jsonl --journal " + dir +
                "/s.journal --quiet");
    CHECK(o.err == dir + "/syntax.jsonl:1: (/as) expected \"controller\", \"evaluator\", \"observer\" or "
                         "\"player:TEAM\"; got \"player\"\n");
    spit(dir + "/syntax.jsonl", "[1]\n");
    o = run_cli(std::string("play ") + tutorial + " --script " + dir + "/syntax.jsonl --journal " + dir +
                "/s.journal --quiet");
    CHECK(o.err == dir + "/syntax.jsonl:1: expected one JSON object per line: {\"at\":\"1h10m\",\"as\":\"player:TEAM\","
                         "\"command\":{...}}\n");
    o = run_cli(std::string("play ") + tutorial + " --quiet");
    CHECK(o.status == 1);
    CHECK(o.err == "cyberex play: --journal FILE is required: the journal is what play produces\n");
  }

  TEST_CASE("Cyber Atlantic 2011: the records of the session's construction come first, in seq order")
  {
    const std::string dir = temp_dir();
    const Output o = run_cli("play scenarios/cyber-atlantic-2011/cyber-atlantic-2011.json --journal " + dir +
                             "/ca.journal --quiet --until 10m");
    REQUIRE(o.status == 0);
    std::string error;
    auto c = read_journal(dir + "/ca.journal", &error);
    REQUIRE_MESSAGE(c, error);
    // the start inject is delivered at 0 while the session is built: before the controller's start
    REQUIRE(c->records_before_command.size() == 1);
    CHECK(c->records_before_command[0] > 1);
    // the world's first events (the dispatch of grid-rhine's 8 units, a network's unit_output records, then its
    // balance), then the start inject released and delivered at 0
    REQUIRE(c->records.size() > 9);
    for (std::size_t i = 0; i < 8; ++i)
      CHECK(c->records[i].json.find(R"("type":"unit_output")") != std::string::npos);
    CHECK(c->records[8].json.find(R"("type":"grid_balance")") != std::string::npos);
    CHECK(c->records[9].json.find(R"("type":"inject_released","subject":"inject:m1-startex")") != std::string::npos);
  }

  TEST_CASE("--play responses become player commands: share is a message, report a sitrep")
  {
    const std::string dir = temp_dir();
    spit(dir + "/responses.json", R"({"responses": [
      {"at": "50m", "team": "cert-gov", "action": "share", "to": ["cert-energy"], "indicators": ["ioc-hash"], "text": "block it"},
      {"at": "55m", "team": "cert-gov", "action": "report", "text": "phishing wave"},
      {"at": "1h", "team": "cert-energy", "action": "block", "indicator": "ioc-hash"}
    ]})");
    const Output o = run_cli(std::string("play ") + tutorial + " --play " + dir + "/responses.json --journal " + dir +
                             "/p.journal --quiet --until 2h");
    INFO(o.err);
    CHECK(o.status == 0);
    auto c = read_journal(dir + "/p.journal");
    REQUIRE(c);
    REQUIRE(c->commands.size() == 4);
    CHECK(c->commands[1].command ==
          R"({"id":"play-1","type":"message","to":["cert-energy"],"text":"block it","indicators":["ioc-hash"]})");
    CHECK(c->commands[1].time == 3000);
    CHECK(c->commands[2].command == R"({"id":"play-2","type":"sitrep","text":"phishing wave"})");
    CHECK(c->commands[3].command == R"({"id":"play-3","type":"action","action":"block","indicator":"ioc-hash"})");
    CHECK(c->commands[3].who.team == "cert-energy");
  }
}

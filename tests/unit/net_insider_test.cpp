/* The drill server against its own participants: an insider with one valid team token (and anyone who can reach the
 * port) tries to crash it, exhaust it, lock others out and learn what it may not know. `cyberex serve` runs as a
 * child; every limit is the documented default unless a test says otherwise (docs/running-a-drill.md, section 8).
 * Suites: net-insider (limits, side channels, pre-login), net-flood (the crash reproductions of issue 11). */
#include "net_support.hpp"

#include <sys/socket.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <map>
#include <mutex>
#include <set>
#include <thread>

using namespace net_test;
using cyberex::net::ClientOptions;

namespace {

const std::string tutorial = "scenarios/tutorial/tutorial.json";

std::string code_of(const Json& reply)
{
  return reply.value("ok", false) ? std::string("ok") : reply["error"].value("code", std::string("?"));
}

std::string message_of(const Json& reply)
{
  return reply.value("ok", false) ? std::string() : reply["error"].value("message", std::string());
}

std::size_t count_prefix(const std::string& text, const std::string& prefix)
{
  std::size_t n = text.rfind(prefix, 0) == 0 ? 1 : 0;
  for (std::size_t p = text.find("\n" + prefix); p != std::string::npos; p = text.find("\n" + prefix, p + 1))
    ++n;
  return n;
}

std::size_t count_lines_with(const std::string& text, const std::string& needle)
{
  std::size_t n = 0;
  for (std::size_t p = text.find(needle); p != std::string::npos; p = text.find(needle, p + 1))
    ++n;
  return n;
}

/// The 99th percentile of a sample (nearest rank).
double p99(std::vector<double> v)
{
  if (v.empty())
    return 0;
  std::sort(v.begin(), v.end());
  return v[static_cast<std::size_t>(std::ceil(0.99 * static_cast<double>(v.size()))) - 1];
}

/// Send `commands` on one connection as fast as the socket takes them, then collect the replies: how many were
/// accepted, and how many bytes of command text those carried.
struct Flood {
  int ok = 0, limited = 0, other = 0;
  std::size_t ok_bytes = 0;
};
Flood flood(Peer& p, const std::vector<std::string>& commands)
{
  Flood f;
  for (const auto& c : commands)
    p.client.send(c);
  std::map<std::string, std::size_t> size_of;
  for (const auto& c : commands)
    size_of[Json::parse(c)["id"].get<std::string>()] = c.size();
  std::size_t replies = 0;
  while (replies < commands.size()) {
    const auto text = p.client.receive(60000);
    if (!text)
      throw std::runtime_error(p.name + ": no reply within 60 s");
    if (text->rfind("{\"id\":", 0) != 0)
      continue; // a record: not parsed, so that the flooding client costs the machine as little as it can
    const Json m = Json::parse(*text);
    ++replies;
    if (m["ok"] == true) {
      ++f.ok;
      f.ok_bytes += size_of[m["id"].get<std::string>()];
    } else if (m["error"]["code"] == "rate-limited") {
      ++f.limited;
    } else {
      ++f.other;
    }
  }
  return f;
}

std::string sitrep(const std::string& id, std::size_t chars)
{
  return Json{{"id", id}, {"type", "sitrep"}, {"text", std::string(chars, 'x')}}.dump();
}

/// A raw TCP connection from a chosen loopback address (127.0.0.N), so that per-address limits can be passed.
int raw_connect_from(int port, int last_octet)
{
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in src{};
  src.sin_family = AF_INET;
  src.sin_addr.s_addr = htonl(0x7f000000u | static_cast<std::uint32_t>(last_octet));
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(static_cast<std::uint16_t>(port));
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (fd >= 0 && ::bind(fd, reinterpret_cast<sockaddr*>(&src), sizeof src) == 0 &&
      ::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0)
    return fd;
  if (fd >= 0)
    ::close(fd);
  return -1;
}

} // namespace

TEST_SUITE("net-flood")
{
  // Issue 11, item 1: 140 situation reports of 64 kB from one team in a second, then one more connection: the
  // server used to segfault (close_now() cleared the send queue while a write was in flight, and the completion
  // popped the empty queue), and again after every restart (the snapshot is over the 8 MiB send limit). The text
  // limits are raised here so that the flood gets in, as it did then.
  TEST_CASE("140 situation reports of 64 kB, then new connections: every one is served, also after a restart")
  {
    const std::string dir = temp_dir();
    const std::string journal = dir + "/drill.journal";
    const std::vector<std::string> raised{"--text-rate", "1048576", "--text-burst", "1048576", "--rate", "1000"};
    ServerProcess server(dir, tutorial, journal, raised);
    REQUIRE(server.start());
    const std::string gov_token = server.token("player:cert-gov");
    std::vector<Flood> results(2);
    std::vector<std::thread> threads;
    for (int c = 0; c < 2; ++c)
      threads.emplace_back([&, c] {
        Peer p;
        p.name = "gov" + std::to_string(c);
        p.connect(server.url(), gov_token);
        std::vector<std::string> cmds;
        for (int i = 0; i < 70; ++i)
          cmds.push_back(sitrep("s" + std::to_string(c) + "-" + std::to_string(i), 64000));
        results[c] = flood(p, cmds);
      });
    for (auto& t : threads)
      t.join();
    CHECK(results[0].ok + results[1].ok == 140);
    REQUIRE(server.alive());

    auto joins = [&](ServerProcess& s) {
      for (const std::string label : {"player:cert-gov", "controller", "evaluator", "player:cert-energy"}) {
        INFO(label);
        Peer p;
        p.name = label;
        p.connect(s.url(), s.token(label)); // welcome, then the snapshot (over 8 MiB for control)
        CHECK(p.welcome["type"] == "welcome");
        CHECK(p.snapshot.contains("snapshot"));
        if (label == "controller")
          CHECK(p.snapshot.dump().size() > (8u << 20));
        CHECK(code_of(p.send({{"type", "clock"}})) == "ok");
      }
      CHECK(s.alive());
    };
    joins(server);
    CHECK(server.kill(SIGTERM) == 0);
    // the restart recovers the same state and serves the same connections
    ServerProcess again(dir, tutorial, journal, raised);
    REQUIRE(again.start());
    joins(again);
    CHECK(again.log().find("replayed 140 commands") != std::string::npos);
  }

  // The same defect without the flood: a send queue that overflows while a write is in flight. With a 2 kB queue, a
  // team that sends three situation reports of 1,500 characters at once gets their three records back to back: the
  // first one is being written when the second overflows the queue. So does an evaluator that just joined. 40 rounds.
  TEST_CASE("send-queue overflow while a write is in flight, 40 rounds: the clients are dropped, the server lives")
  {
    const std::string dir = temp_dir();
    ServerProcess server(dir, tutorial, dir + "/drill.journal",
                         {"--max-send-queue", "2048", "--text-rate", "1048576", "--text-burst", "1048576"});
    REQUIRE(server.start());
    const std::string gov = server.token("player:cert-gov"), evaluator = server.token("evaluator");
    for (int round = 0; round < 40; ++round) {
      cyberex::net::DrillClient watcher, sender;
      ClientOptions o;
      o.url = server.url();
      o.token = evaluator;
      o.since = 0; // a backlog rather than a snapshot
      watcher.connect(o);
      o.token = gov;
      sender.connect(o);
      REQUIRE(sender.receive(5000)); // the welcome: the sender is subscribed
      for (int i = 0; i < 3; ++i)
        sender.send(sitrep("r" + std::to_string(round) + "-" + std::to_string(i), 1500));
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
      REQUIRE(server.alive());
    }
    // two clients a round could overflow; how many do depends on how the writes interleave (37 to 80 seen)
    CHECK(count_lines_with(server.log(), "send queue overflow") >= 20);
    Peer ctl;
    ctl.connect(server.url(), server.token("controller"));
    CHECK(code_of(ctl.send({{"type", "clock"}})) == "ok");
    CHECK(server.alive());
  }
  // Issue 11, item 2: when two commands are applied in the same clock tick, the second's exact time can be below the
  // record before it rounded up to 3 decimals; the reader rejected what the writer wrote, so recovery, replay and the
  // report failed on every drill played with the clock running. Here a team and an evaluator send 1,000 commands each
  // at the same time while the clock runs at speed 60; then the controller pauses and acts, as the GUI test did.
  TEST_CASE("a running clock and 1,000 concurrent command pairs: the journal recovers, verifies and reports")
  {
    const std::string dir = temp_dir();
    const std::string journal = dir + "/drill.journal";
    const std::vector<std::string> opts{"--speed", "60", "--rate", "100000", "--text-rate", "65536"};
    ServerProcess server(dir, tutorial, journal, opts);
    REQUIRE(server.start());
    Peer ctl;
    ctl.name = "ctl";
    ctl.connect(server.url(), server.token("controller"));
    REQUIRE(code_of(ctl.send({{"type", "start"}})) == "ok");
    std::vector<int> ok(2, 0);
    std::vector<std::thread> pair;
    for (int who = 0; who < 2; ++who)
      pair.emplace_back([&, who] {
        Peer p;
        p.name = who ? "evaluator" : "gov";
        p.connect(server.url(), server.token(who ? "evaluator" : "player:cert-gov"));
        for (int i = 0; i < 1000; ++i) {
          const Json cmd = who ? Json{{"type", "observe"}, {"text", "note " + std::to_string(i)}}
                               : Json{{"type", "sitrep"}, {"text", "report " + std::to_string(i)}};
          ok[who] += code_of(p.send(cmd)) == "ok" ? 1 : 0;
        }
      });
    for (auto& t : pair)
      t.join();
    CHECK(ok[0] == 1000);
    CHECK(ok[1] == 1000);
    REQUIRE(code_of(ctl.send({{"type", "pause"}})) == "ok");
    REQUIRE(code_of(ctl.send({{"type", "observe"}, {"text", "paused, then acted"}})) == "ok");
    REQUIRE(code_of(ctl.send({{"type", "resume"}})) == "ok");
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    CHECK(server.kill(SIGTERM) == 0);

    std::string error;
    auto contents = cyberex::read_journal(journal, &error);
    INFO(error);
    REQUIRE(contents);
    CHECK(contents->commands.size() == 2004);
    CHECK(contents->integrity == cyberex::JournalIntegrity::verified);
    // commands really landed below the rounded time of the record line before them (what broke the reader)
    std::istringstream lines(slurp(journal));
    std::string line;
    double record_time = 0;
    int below = 0;
    while (std::getline(lines, line)) {
      const Json j = Json::parse(line);
      if (j.contains("seq") && j.contains("kind"))
        record_time = j["time"].get<double>();
      else if (j.contains("index") && j["time"].get<double>() < record_time)
        ++below;
    }
    MESSAGE(below, " commands below the rounded time of the record before them");
    CHECK(below > 0);

    // recovery
    ServerProcess again(dir, tutorial, journal, opts);
    REQUIRE(again.start());
    CHECK(again.log().find("replayed 2004 commands") != std::string::npos);
    CHECK(again.kill(SIGTERM) == 0);
    // replay --verify and the report
    const std::string verify = std::string(CYBEREX_BINARY) + " replay " + journal + " --verify > " + dir + "/verify";
    CHECK(std::system(verify.c_str()) == 0);
    CHECK(slurp(dir + "/verify").find(": identical: 2004 commands replayed") != std::string::npos);
    const std::string report =
        std::string(CYBEREX_BINARY) + " report " + journal + " -o " + dir + "/aar.html 2> " + dir + "/report.err";
    CHECK(std::system(report.c_str()) == 0);
    CHECK(slurp(dir + "/aar.html").find("<html") != std::string::npos);
  }
}

TEST_SUITE("net-insider")
{
  TEST_CASE("one token, 16 connections: its command and text limits hold over all of them; others are served "
            "within 50 ms (p99)")
  {
    const std::string dir = temp_dir();
    const std::string journal = dir + "/drill.journal";
    ServerProcess server(dir, tutorial, journal);
    REQUIRE(server.start());
    const std::string gov = server.token("player:cert-gov");
    Peer ctl;
    ctl.connect(server.url(), server.token("controller"));
    REQUIRE(code_of(ctl.send({{"type", "step"}, {"to", "time"}, {"time", "20m"}})) == "ok");

    // the 17th connection of one token is refused (default --max-connections-per-token 16)
    std::vector<std::unique_ptr<Peer>> insiders;
    for (int i = 0; i < 16; ++i) {
      insiders.push_back(std::make_unique<Peer>());
      insiders.back()->name = "gov" + std::to_string(i);
      insiders.back()->connect(server.url(), gov);
    }
    {
      cyberex::net::DrillClient extra;
      ClientOptions o;
      o.url = server.url();
      o.token = gov;
      extra.connect(o);
      const Json refused = Json::parse(*extra.receive(5000));
      CHECK(code_of(refused) == "too-many-connections");
      CHECK(message_of(refused) == "player:cert-gov has 16 connections open, the most one token may "
                                   "(--max-connections-per-token); close one first");
    }

    const std::size_t journal_before = slurp(journal).size();
    const std::size_t rss_before = server.rss();
    const std::size_t lines_before = count_prefix(slurp(journal), "{\"index\":");

    // the victim: another team sends a command every 25 ms while the insider floods
    std::atomic<bool> done{false};
    std::vector<double> latency_ms;
    int victim_failures = 0;
    std::thread victim([&] {
      Peer energy;
      energy.name = "energy";
      energy.connect(server.url(), server.token("player:cert-energy"));
      for (int i = 0; !done; ++i) {
        // queries, and every fifth time a journaled command (its reply waits for the journal's fdatasync)
        const Json cmd =
            i % 5 == 4 ? Json{{"type", "sitrep"}, {"text", "all quiet " + std::to_string(i)}} : Json{{"type", "clock"}};
        const auto t0 = std::chrono::steady_clock::now();
        const Json r = energy.send(cmd);
        latency_ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
        victim_failures += r["ok"] == true ? 0 : 1;
        std::this_thread::sleep_for(std::chrono::milliseconds(25));
      }
    });

    // for 5 s, 16 connections send rounds of 10 commands as fast as they can: situation reports of 4,000 characters
    // and messages of 2,000 to the victim
    const auto t0 = std::chrono::steady_clock::now();
    std::vector<Flood> results(insiders.size());
    std::vector<int> sent(insiders.size(), 0);
    std::vector<std::thread> threads;
    for (std::size_t c = 0; c < insiders.size(); ++c)
      threads.emplace_back([&, c] {
        while (std::chrono::steady_clock::now() - t0 < std::chrono::seconds(5)) {
          std::vector<std::string> cmds;
          for (int i = 0; i < 10; ++i, ++sent[c]) {
            const std::string id = "f" + std::to_string(c) + "-" + std::to_string(sent[c]);
            if (i % 2)
              cmds.push_back(sitrep(id, 4000));
            else
              cmds.push_back(
                  Json{{"id", id}, {"type", "message"}, {"to", {"cert-energy"}}, {"text", std::string(2000, 'y')}}
                      .dump());
          }
          const Flood f = flood(*insiders[c], cmds);
          results[c].ok += f.ok;
          results[c].limited += f.limited;
          results[c].other += f.other;
          results[c].ok_bytes += f.ok_bytes;
        }
      });
    for (auto& t : threads)
      t.join();
    const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    done = true;
    victim.join();

    Flood total;
    for (const auto& r : results) {
      total.ok += r.ok;
      total.limited += r.limited;
      total.other += r.other;
      total.ok_bytes += r.ok_bytes;
    }
    int all_sent = 0;
    for (int n : sent)
      all_sent += n;
    const std::string text = slurp(journal);
    const std::size_t journaled = count_prefix(text, "{\"index\":") - lines_before;
    const double journal_growth = static_cast<double>(text.size() - journal_before);
    const double rss_growth = static_cast<double>(server.rss()) - static_cast<double>(rss_before);
    MESSAGE("insider flood: ", total.ok, " accepted, ", total.limited, " rate-limited in ", elapsed, " s; ",
            total.ok_bytes, " bytes of text accepted (of ", all_sent, " commands sent); journal +",
            journal_growth / 1024, " KiB; server RSS +", rss_growth / 1048576, " MiB; victim: ", latency_ms.size(),
            " queries, p99 ", p99(latency_ms), " ms, max ",
            latency_ms.empty() ? 0 : *std::max_element(latency_ms.begin(), latency_ms.end()), " ms");
    {
      std::vector<double> q, j;
      for (std::size_t i = 0; i < latency_ms.size(); ++i)
        (i % 5 == 4 ? j : q).push_back(latency_ms[i]);
      MESSAGE("victim queries p99 ", p99(q), " ms, journaled p99 ", p99(j), " ms");
    }
    CHECK(total.other == 0);
    CHECK(total.ok + total.limited == all_sent);
    CHECK(static_cast<std::size_t>(total.ok) + latency_ms.size() / 5 == journaled); // the victim's every fifth
    // the defaults: 50 commands/s (burst 100) and 8 KiB/s of text (burst 1 MiB) per token, whatever the connections
    CHECK(total.ok <= 100 + 50 * elapsed + 1);
    CHECK(static_cast<double>(total.ok_bytes) <= 1048576 + 8192 * elapsed);
    // what it costs: each accepted command is one journal line and one record line of about its size
    CHECK(journal_growth <= 2.2 * static_cast<double>(total.ok_bytes) + 600.0 * total.ok + 65536);
    // (budgets of memory and time do not hold under a sanitizer: ASan's quarantine keeps freed memory, every access is
    // checked; scripts/asan.sh and tsan.sh run this suite for its limits and messages)
    if (!cli_test::sanitized)
      CHECK(rss_growth < 48.0 * 1048576);
    // the other team was served throughout
    CHECK(victim_failures == 0);
    REQUIRE(latency_ms.size() > 20);
    if (!cli_test::sanitized)
      CHECK(p99(latency_ms) < 50.0);
    // and the insider's rate limit was logged once per episode, not per command
    CHECK(count_lines_with(server.log(), "player:cert-gov: rate-limited") < 40);
  }

  TEST_CASE("recipients, command ids, unknown fields, incident ids: refused with exact messages, nothing journaled")
  {
    const std::string dir = temp_dir();
    const std::string journal = dir + "/drill.journal";
    ServerProcess server(dir, tutorial, journal, {"--rate", "1000"}); // 100 assessments below
    REQUIRE(server.start());
    Peer gov;
    gov.name = "gov";
    gov.connect(server.url(), server.token("player:cert-gov"));
    const std::size_t size0 = slurp(journal).size();

    // a message whose "to" names the same team 2,000 times used to store 2,000 copies
    Json to = Json::array();
    for (int i = 0; i < 2000; ++i)
      to.push_back("cert-energy");
    Json r = gov.send({{"type", "message"}, {"to", to}, {"text", "hello"}});
    CHECK(code_of(r) == "bad-command");
    CHECK(message_of(r) == "(/to/1) team \"cert-energy\" is listed twice: name each recipient once");
    CHECK(slurp(journal).size() == size0);

    // a resend of an applied command (same id) is not applied twice
    r = gov.send({{"id", "m1"}, {"type", "sitrep"}, {"text", "first"}});
    CHECK(code_of(r) == "ok");
    const std::size_t size1 = slurp(journal).size();
    r = gov.send({{"id", "m1"}, {"type", "sitrep"}, {"text", "first"}});
    CHECK(code_of(r) == "duplicate");
    CHECK(message_of(r) == "(/id) command \"m1\" was already applied (journal index 1): it is not applied twice; give "
                           "each new command a new id");
    CHECK(slurp(journal).size() == size1);
    // ids are per principal: another team may use the same id
    Peer energy;
    energy.name = "energy";
    energy.connect(server.url(), server.token("player:cert-energy"));
    CHECK(code_of(energy.send({{"id", "m1"}, {"type", "sitrep"}, {"text", "theirs"}})) == "ok");
    const std::size_t size2 = slurp(journal).size();

    // unknown fields are refused, not journaled
    r = gov.send({{"type", "sitrep"}, {"text", "x"}, {"payload", std::string(1000, 'z')}});
    CHECK(code_of(r) == "bad-command");
    CHECK(message_of(r) == "(/payload) unknown field \"payload\" for \"sitrep\"; it takes \"team\", \"text\", "
                           "\"status\" (and \"id\", \"type\")");
    r = gov.send({{"type", "sitrep"}, {"txt", "x"}});
    CHECK(message_of(r) == "(/txt) unknown field \"txt\" for \"sitrep\"; did you mean \"text\"?; it takes \"team\", "
                           "\"text\", \"status\" (and \"id\", \"type\")");
    // an incident is named by a short id
    const Json levels = {{"functional_impact", "low"},
                         {"information_impact", "proprietary"},
                         {"recoverability", "regular"},
                         {"cross_sector", "one"},
                         {"potential_impact", "medium"}};
    r = gov.send({{"type", "assess"}, {"incident", std::string(5000, 'i')}, {"levels", levels}});
    CHECK(code_of(r) == "bad-command");
    CHECK(message_of(r) == "(/incident) expected an incident id: a letter or digit, then letters, digits, '-', '_', "
                           "'.' or ':', at most 64 characters (e.g. \"inc-euroleaks\")");
    CHECK(slurp(journal).size() == size2);
    CHECK(code_of(gov.send({{"type", "assess"}, {"incident", "inc-1"}, {"levels", levels}})) == "ok");
    // at most 100 incidents per team
    for (int i = 2; i <= 100; ++i)
      REQUIRE(code_of(gov.send({{"type", "assess"}, {"incident", "inc-" + std::to_string(i)}, {"levels", levels}})) ==
              "ok");
    r = gov.send({{"type", "assess"}, {"incident", "inc-101"}, {"levels", levels}});
    CHECK(code_of(r) == "bad-state");
    CHECK(message_of(r) ==
          "(/incident) team \"cert-gov\" has assessed 100 incidents already, the most one team may; assess one of them "
          "again");
    CHECK(code_of(gov.send({{"type", "assess"}, {"incident", "inc-7"}, {"levels", levels}})) == "ok");
  }

  TEST_CASE("what a team sees is what it may know: clock, standings, scores, errors")
  {
    const std::string dir = temp_dir();
    ServerProcess server(dir, tutorial, dir + "/drill.journal");
    REQUIRE(server.start());
    Peer ctl, gov, obs, ev;
    ctl.name = "ctl";
    gov.name = "gov";
    obs.name = "obs";
    ev.name = "ev";
    ctl.connect(server.url(), server.token("controller"));
    gov.connect(server.url(), server.token("player:cert-gov"));
    obs.connect(server.url(), server.token("observer"));
    ev.connect(server.url(), server.token("evaluator"));

    // the clock: when the world next changes and when the next inject is due are the White Cell's
    const Json cc = ctl.send({{"type", "clock"}})["result"];
    CHECK(cc.contains("next_event"));
    CHECK(cc.contains("next_inject"));
    for (Peer* p : {&gov, &obs}) {
      const Json c = p->send({{"type", "clock"}})["result"];
      INFO(p->name, " ", c.dump());
      CHECK(!c.contains("next_event"));
      CHECK(!c.contains("next_inject"));
      CHECK(c["time"] == cc["time"]);
      CHECK(!p->snapshot["snapshot"]["clock"].contains("next_event"));
    }
    // play 4 h 30 min (the APT compromises cert-gov's workstations and exfiltrates) with the team watching
    REQUIRE(code_of(ctl.send({{"type", "step"}, {"to", "time"}, {"time", "4h30m"}})) == "ok");
    gov.sync();
    obs.sync();
    ev.sync();
    // the team's own scores: no metric (they are ground truth) until the end; the evaluator sees them
    const Json mine = gov.send({{"type", "scores"}})["result"][0];
    CHECK(mine["metrics"].is_null());
    CHECK(mine["metric_details"] == Json::object());
    const Json theirs = ev.send({{"type", "scores"}, {"team", "cert-gov"}})["result"][0];
    CHECK(theirs["metric_details"].contains("data_exfiltrated"));
    CHECK(!theirs["metrics"].is_null());
    // the leaderboard query of a team is the last standings published (at 4 h), not a live score
    const Json board = gov.send({{"type", "leaderboard"}})["result"];
    CHECK(board["time"] == 14400.0);
    CHECK(board["final"] == false);
    for (const auto& t : board["teams"])
      CHECK(t["metrics"].is_null());
    // nothing a team or an observer received carries the adversary's campaigns or the MSEL's future
    for (Peer* p : {&gov, &obs}) {
      for (const auto& rec : p->records) {
        const std::string s = rec.dump();
        INFO(p->name, " ", s);
        CHECK(s.find("apt-docs") == std::string::npos);
        CHECK(s.find("campaign") == std::string::npos);
        CHECK(s.find("next_event") == std::string::npos);
        CHECK(s.find("next_inject") == std::string::npos);
        CHECK(rec["type"] != "leaderboard");
        if (rec["type"] == "standings")
          CHECK(rec["details"]["teams"][0]["metrics"].is_null());
      }
    }
    // errors do not tell a team which other nodes and indicators exist
    const Json foreign = gov.send({{"type", "action"}, {"action", "isolate"}, {"target", "node:plc-1"}});
    const Json missing = gov.send({{"type", "action"}, {"action", "isolate"}, {"target", "node:no-such-node"}});
    CHECK(code_of(foreign) == code_of(missing));
    CHECK(message_of(foreign) ==
          "(/target) \"node:plc-1\" is not an asset of team \"cert-gov\": a player team acts on its own nodes");
    CHECK(message_of(missing) ==
          "(/target) \"node:no-such-node\" is not an asset of team \"cert-gov\": a player team acts on its own nodes");
    const Json other_ioc = gov.send({{"type", "action"}, {"action", "block"}, {"indicator", "ioc-c2"}});
    const Json no_ioc = gov.send({{"type", "action"}, {"action", "block"}, {"indicator", "ioc-nope"}});
    CHECK(code_of(other_ioc) == code_of(no_ioc));
    CHECK(message_of(no_ioc) == "(/indicator) indicator \"ioc-nope\" is unknown to your team: it was in none of your "
                                "alerts, injects or messages");
    // the White Cell still gets the precise answer
    CHECK(message_of(ctl.send(
              {{"type", "action"}, {"team", "cert-gov"}, {"action", "isolate"}, {"target", "node:no-such-node"}})) ==
          "(/target) no node matches \"node:no-such-node\"");
    // at the end the standings are the final leaderboard, metrics included
    REQUIRE(code_of(ctl.send({{"type", "end"}})) == "ok");
    gov.sync();
    const Json final_board = gov.send({{"type", "leaderboard"}})["result"];
    CHECK(final_board["final"] == true);
    CHECK(final_board["teams"] == ctl.send({{"type", "leaderboard"}})["result"]["teams"]);
    CHECK(!gov.send({{"type", "scores"}})["result"][0]["metrics"].is_null());
  }

  TEST_CASE("before the login: large or binary frames close the connection; pending connections and failed logins "
            "per address are bounded")
  {
    const std::string dir = temp_dir();
    ServerProcess server(dir, tutorial, dir + "/drill.journal");
    REQUIRE(server.start());
    ClientOptions silent;
    silent.url = server.url();
    silent.send_hello = false;
    {
      // a 5,000-byte frame before the login: closed without a reply (the server reads at most 4 KiB then)
      cyberex::net::DrillClient c;
      c.connect(silent);
      c.send(std::string(5000, ' '));
      CHECK_THROWS(c.receive(5000));
    }
    {
      // a binary frame before the login: an error, then the close
      cyberex::net::DrillClient c;
      c.connect(silent);
      c.send_binary("\x01\x02");
      const Json r = Json::parse(*c.receive(5000));
      CHECK(code_of(r) == "unauthorized");
      CHECK_THROWS(c.receive(5000));
    }
    CHECK(server.log().find("disconnected: a message of more than 4096 bytes before the login") != std::string::npos);

    // 16 connections from one address that never log in: the 17th is closed at once
    std::vector<int> idle;
    for (int i = 0; i < 16; ++i)
      idle.push_back(raw_connect_from(server.port(), 9));
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    const int extra = raw_connect_from(server.port(), 9);
    REQUIRE(extra >= 0);
    bool closed = false;
    raw_read(extra, 3000, &closed);
    CHECK(closed);
    ::close(extra);
    // another address is not affected
    Peer obs;
    obs.connect(server.url(), server.token("observer"));
    CHECK(code_of(obs.send({{"type", "clock"}})) == "ok");
    for (int fd : idle)
      ::close(fd);

    // failed logins: a burst of 10, then refused (even with a valid token) until the bucket refills (1 per second)
    const std::string before = server.log();
    for (int i = 0; i < 10; ++i) {
      cyberex::net::DrillClient c;
      ClientOptions o;
      o.url = server.url();
      o.token = std::string(64, 'a' + static_cast<char>(i));
      c.connect(o);
      CHECK(message_of(Json::parse(*c.receive(5000))) ==
            "unknown token: ask the White Cell for the token of your team or role");
    }
    {
      cyberex::net::DrillClient c;
      ClientOptions o;
      o.url = server.url();
      o.token = server.token("controller");
      c.connect(o);
      CHECK(message_of(Json::parse(*c.receive(5000))) == "too many failed logins from this address: try again in 1 s");
    }
    const std::string log = server.log().substr(before.size());
    CHECK(count_lines_with(log, "unknown token") == 3); // the first 3 failures, then one line for the lock-out
    CHECK(count_lines_with(log, "too many failed logins: refusing logins from this address") == 1);
    std::this_thread::sleep_for(std::chrono::milliseconds(1500));
    Peer ctl;
    ctl.connect(server.url(), server.token("controller"));
    CHECK(ctl.welcome["role"] == "controller");
  }

  // Not under a sanitizer: its runtime needs descriptors too (UBSan tests an object's memory through a pipe before
  // checking its vptr, and reports "invalid vptr" when the pipe fails), so a server out of them reports false errors.
  TEST_CASE("out of file descriptors: the accept loop backs off instead of spinning, then accepts again" *
            doctest::skip(cli_test::sanitized))
  {
    const std::string dir = temp_dir();
    ServerProcess server(dir, tutorial, dir + "/drill.journal");
    server.limit_files(64);
    REQUIRE(server.start());
    // idle connections from 8 addresses (16 each may be pending) exhaust the server's 64 descriptors
    std::vector<int> fds;
    for (int a = 10; a < 18; ++a)
      for (int i = 0; i < 16; ++i)
        if (int fd = raw_connect_from(server.port(), a); fd >= 0)
          fds.push_back(fd);
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    const double cpu0 = server.cpu_seconds();
    const std::size_t log0 = server.log().size();
    std::this_thread::sleep_for(std::chrono::seconds(2));
    const double cpu = server.cpu_seconds() - cpu0;
    const std::size_t logged = server.log().size() - log0;
    MESSAGE("out of descriptors: ", cpu, " s of CPU in 2 s, ", logged, " bytes of log");
    CHECK(server.log().find("accept failed: Too many open files; pausing new connections") != std::string::npos);
    CHECK(cpu < 0.3);
    CHECK(logged < 2000);
    for (int fd : fds)
      ::close(fd);
    std::this_thread::sleep_for(std::chrono::milliseconds(1500));
    Peer ctl;
    ctl.connect(server.url(), server.token("controller"));
    CHECK(code_of(ctl.send({{"type", "clock"}})) == "ok");
    CHECK(server.log().find("accepting connections again") != std::string::npos);
  }

  TEST_CASE("tokens: a token in a URL never reaches the log; a tokens file others can read is not reused")
  {
    const std::string dir = temp_dir();
    const std::string journal = dir + "/drill.journal";
    {
      ServerProcess server(dir, tutorial, journal);
      REQUIRE(server.start());
      const std::string token = server.token("controller");
      const int fd = raw_connect(server.port());
      REQUIRE(fd >= 0);
      const std::string get = "GET /?token=" + token + "&since=3 HTTP/1.1\r\nHost: x\r\n\r\n";
      REQUIRE(::write(fd, get.data(), get.size()) == static_cast<ssize_t>(get.size()));
      bool closed = false;
      CHECK(raw_read(fd, 3000, &closed).find("426") != std::string::npos);
      ::close(fd);
      const std::string log = server.log();
      CHECK(log.find(token) == std::string::npos);
      CHECK(log.find("not a WebSocket upgrade (GET /?token=<redacted>&since=3); answered 426") != std::string::npos);
      CHECK(server.kill(SIGTERM) == 0);
    }
    REQUIRE(::chmod((journal + ".tokens").c_str(), 0644) == 0);
    ServerProcess again(dir, tutorial, journal);
    CHECK(!again.start());
    CHECK(again.exit_status() == 1);
    CHECK(
        again.log().find("error: " + journal +
                         ".tokens: the tokens file is readable by other users (mode 0644): its tokens may have leaked. "
                         "Delete it to issue new tokens (the drill is recovered with new ones), or chmod 600 it if "
                         "nobody else can have read it") != std::string::npos);
  }

  TEST_CASE("TLS 1.2 offers only forward-secret AEAD suites")
  {
    REQUIRE_MESSAGE(std::system("command -v openssl > /dev/null 2>&1") == 0,
                    "openssl is needed (scripts/setup.sh installs it)");
    const std::string dir = temp_dir();
    REQUIRE(std::system(("openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=localhost -keyout " + dir +
                         "/key.pem -out " + dir + "/cert.pem > /dev/null 2>&1")
                            .c_str()) == 0);
    ServerProcess server(dir, tutorial, dir + "/drill.journal",
                         {"--cert", dir + "/cert.pem", "--key", dir + "/key.pem"});
    REQUIRE(server.start());
    auto handshake = [&](const std::string& cipher) {
      const std::string cmd = "openssl s_client -connect 127.0.0.1:" + std::to_string(server.port()) +
                              " -tls1_2 -cipher " + cipher + " < /dev/null > " + dir + "/s_client.out 2>&1";
      return std::system(cmd.c_str()) == 0;
    };
    CHECK(!handshake("AES128-SHA"));
    CHECK(!handshake("AES256-SHA256"));
    CHECK(handshake("ECDHE-RSA-AES128-GCM-SHA256"));
    CHECK(handshake("ECDHE-RSA-CHACHA20-POLY1305"));
  }
}

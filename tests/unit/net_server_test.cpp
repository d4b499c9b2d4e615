/* The drill server over real WebSocket connections on loopback: `cyberex serve` runs as a child process, the tests
 * connect with cyberex::net::DrillClient. Suites: net-robust (bad input, slow clients, tokens), net-auth (every
 * command with every role, every team against the other's data), net-drill (a whole drill of the tutorial),
 * net-crash (SIGKILL in the middle of a scripted drill, recovery, same journal and scores; SIGKILL in a quiet period,
 * recovery at the last mark's time), net-tls. */
#include "journal_seal.hpp"
#include "net_support.hpp"

#include "cyberex/scenario.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

using namespace net_test;
using cyberex::net::ClientOptions;

namespace {

const std::string tutorial = "scenarios/tutorial/tutorial.json";

/// Command lines of a journal (format 2 also holds records and an end line).
std::size_t count_commands_in(const std::string& s)
{
  std::size_t n = s.rfind("{\"index\":", 0) == 0 ? 1 : 0;
  for (std::size_t pos = s.find("\n{\"index\":"); pos != std::string::npos; pos = s.find("\n{\"index\":", pos + 1))
    ++n;
  return n;
}

std::size_t count_commands(const std::string& path)
{
  return count_commands_in(slurp(path));
}

std::string code_of(const Json& reply)
{
  return reply.value("ok", false) ? std::string("ok") : reply["error"].value("code", std::string("?"));
}

/// The mark lines of a journal's text, in order.
std::vector<std::string> mark_lines(const std::string& text)
{
  std::vector<std::string> out;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line))
    if (line.rfind("{\"mark\":", 0) == 0)
      out.push_back(line);
  return out;
}

} // namespace

TEST_SUITE("net-robust")
{
  TEST_CASE("tokens file: one token per principal, mode 0600; unknown tokens are refused")
  {
    const std::string dir = temp_dir();
    ServerProcess server(dir, tutorial, dir + "/drill.journal");
    REQUIRE(server.start());
    struct stat st {};
    REQUIRE(::stat(server.tokens_path().c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0600);
    std::string error;
    auto tokens = cyberex::net::read_tokens(server.tokens_path(), &error);
    REQUIRE(tokens);
    std::vector<std::string> labels;
    std::set<std::string> distinct;
    for (const auto& t : *tokens) {
      labels.push_back(cyberex::principal_label(t.who));
      distinct.insert(t.token);
    }
    CHECK(labels ==
          std::vector<std::string>{"controller", "evaluator", "observer", "player:cert-gov", "player:cert-energy"});
    CHECK(distinct.size() == 5);

    Peer intruder;
    ClientOptions o;
    o.url = server.url();
    o.token = std::string(64, '0');
    intruder.client.connect(o);
    Json reply = intruder.next();
    CHECK(reply["ok"] == false);
    CHECK(reply["error"]["code"] == "unauthorized");
    CHECK_THROWS_WITH(intruder.client.receive(5000), doctest::Contains("closed"));

    // a command before the hello is refused too, and the connection closed
    Peer rude;
    o.send_hello = false;
    rude.client.connect(o);
    rude.client.send(R"({"id":"1","type":"start"})");
    reply = rude.next();
    CHECK(reply["id"] == "1");
    CHECK(reply["error"]["code"] == "unauthorized");
    CHECK_THROWS(rude.client.receive(5000));

    // the token may also come in the URL
    Peer ctl;
    o.url = server.url() + "?token=" + server.token("controller");
    ctl.client.connect(o);
    Json welcome = ctl.next();
    CHECK(welcome["type"] == "welcome");
    CHECK(welcome["role"] == "controller");
    CHECK(server.log().find("unknown token: connection refused") != std::string::npos);
  }

  TEST_CASE("malformed, non-JSON, binary, oversized and unknown messages get error replies; the server survives")
  {
    const std::string dir = temp_dir();
    ServerProcess server(dir, tutorial, dir + "/drill.journal");
    REQUIRE(server.start());
    Peer gov, energy;
    gov.name = "gov";
    energy.name = "energy";
    gov.connect(server.url(), server.token("player:cert-gov"));
    energy.connect(server.url(), server.token("player:cert-energy"));
    CHECK(gov.welcome["team"] == "cert-gov");

    gov.client.send("{\"id\":\"a\",\"type\":");
    Json r = gov.next();
    CHECK(r["ok"] == false);
    CHECK(r["error"]["code"] == "bad-json");
    gov.client.send("hello world");
    CHECK(gov.next()["error"]["code"] == "bad-json");
    gov.client.send("[1,2,3]");
    CHECK(gov.next()["error"]["code"] == "bad-json");
    gov.client.send_binary(std::string("\x00\x01\x02\xff", 4));
    r = gov.next();
    CHECK(r["error"]["code"] == "bad-message");
    CHECK(r["error"]["message"] == "binary frames are not accepted: send each command as one JSON text message");
    const std::string big = "{\"id\":\"big\",\"type\":\"sitrep\",\"text\":\"" + std::string(70000, 'x') + "\"}";
    gov.client.send(big);
    r = gov.next();
    CHECK(r["id"] == "big");
    CHECK(r["error"]["code"] == "too-large");
    CHECK(r["error"]["message"] == "a command is at most 65536 bytes; got 70038");
    CHECK(code_of(gov.send({{"type", "launch_missiles"}})) == "unknown-command");
    CHECK(code_of(gov.send({{"type", "start"}})) == "forbidden");
    // the connection and the others still work, and nothing was journaled
    CHECK(code_of(gov.send({{"type", "clock"}})) == "ok");
    CHECK(code_of(energy.send({{"type", "inbox"}})) == "ok");
    CHECK(count_commands(dir + "/drill.journal") == 0);
    CHECK(server.alive());
    const std::string log = server.log();
    CHECK(log.find("bad-message: binary frames are not accepted") != std::string::npos);
    CHECK(log.find("too-large: a command is at most 65536 bytes") != std::string::npos);
    CHECK(log.find("command rejected") != std::string::npos);
  }

  TEST_CASE("rate limit: a burst of 100, then about 50 commands/s; excess gets rate-limited")
  {
    const std::string dir = temp_dir();
    ServerProcess server(dir, tutorial, dir + "/drill.journal");
    REQUIRE(server.start());
    Peer obs;
    obs.connect(server.url(), server.token("observer"));
    const auto t0 = std::chrono::steady_clock::now();
    for (int i = 0; i < 150; ++i)
      obs.client.send("{\"id\":\"" + std::to_string(i) + "\",\"type\":\"clock\"}");
    int ok = 0, limited = 0;
    for (int i = 0; i < 150; ++i) {
      Json r = obs.next();
      if (r["ok"] == true)
        ++ok;
      else if (r["error"]["code"] == "rate-limited")
        ++limited;
    }
    // the burst passes; after a refusal the server reads that connection only once the bucket has refilled (and
    // later each time it refuses again), so the rest is served at about 50 per second
    const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    CHECK(ok >= 100);
    CHECK(ok <= 100 + 50 * elapsed + 1);
    CHECK(limited >= 1);
    CHECK(ok + limited == 150);
    CHECK(server.log().find("observer: rate-limited: too many commands: at most 50 per second (burst 100) for "
                            "observer, over all its connections") != std::string::npos);
  }

  TEST_CASE("a client that stops reading is dropped; the others are not held up; it reconnects and catches up")
  {
    const std::string dir = temp_dir();
    ServerProcess server(dir, tutorial, dir + "/drill.journal", {"--max-send-queue", "65536"});
    REQUIRE(server.start());
    Peer stalled, ctl;
    stalled.name = "stalled";
    ctl.name = "ctl";
    stalled.connect(server.url(), server.token("evaluator"));
    ctl.connect(server.url(), server.token("controller"));
    const std::uint64_t seen = stalled.welcome["seq"].get<std::uint64_t>();
    // the stalled client asks for snapshots and never reads the replies
    const auto t0 = std::chrono::steady_clock::now();
    bool dropped = false;
    int sent = 0;
    while (std::chrono::steady_clock::now() - t0 < std::chrono::seconds(60) && !dropped) {
      try {
        for (int i = 0; i < 20; ++i, ++sent)
          stalled.client.send("{\"id\":\"s" + std::to_string(sent) + "\",\"type\":\"snapshot\"}");
      } catch (const std::exception&) {
        dropped = true;
      }
      // meanwhile the controller is answered promptly
      const auto q0 = std::chrono::steady_clock::now();
      CHECK(code_of(ctl.send({{"type", "clock"}})) == "ok");
      CHECK(std::chrono::steady_clock::now() - q0 < std::chrono::seconds(2));
      dropped = dropped || server.log().find("send queue overflow") != std::string::npos;
      std::this_thread::sleep_for(std::chrono::milliseconds(300));
    }
    CHECK(dropped);
    CHECK(server.log().find("the client does not read fast enough") != std::string::npos);
    // the exercise went on; the evaluator reconnects and catches up on what it missed
    Json step = ctl.send({{"type", "step"}, {"to", "time"}, {"time", "20m"}});
    REQUIRE(code_of(step) == "ok");
    Peer back;
    back.connect(server.url(), server.token("evaluator"), seen);
    CHECK(back.welcome["seq"].get<std::uint64_t>() > seen);
    back.sync();
    REQUIRE(!back.records.empty());
    CHECK(back.records.front()["seq"].get<std::uint64_t>() == seen + 1);
    for (std::size_t i = 1; i < back.records.size(); ++i)
      CHECK(back.records[i]["seq"].get<std::uint64_t>() == back.records[i - 1]["seq"].get<std::uint64_t>() + 1);
    CHECK(!back.find([](const Json& r) { return is_type(r, "delivery", "inject") || r.value("type", "") == "inj-01"; })
               .empty());
    CHECK(server.alive());
  }
}

TEST_SUITE("net-auth")
{
  TEST_CASE("every command with every role; every team against the other's data; nothing unauthorised accepted or "
            "leaked")
  {
    const std::string dir = temp_dir();
    const std::string journal = dir + "/drill.journal";
    ServerProcess server(dir, tutorial, journal);
    REQUIRE(server.start());
    auto loaded = cyberex::load_scenario(tutorial);
    REQUIRE(loaded.ok());
    const cyberex::Scenario& sc = *loaded.scenario;

    std::map<std::string, Peer> peers;
    for (const std::string label : {"controller", "evaluator", "observer", "player:cert-gov", "player:cert-energy"}) {
      peers[label].name = label;
      peers[label].connect(server.url(), server.token(label));
    }
    Peer& ctl = peers["controller"];
    // a drill under way: inj-01 delivered to both teams, an inject with an indicator for cert-gov
    REQUIRE(code_of(ctl.send({{"type", "step"}, {"to", "time"}, {"time", "15m"}})) == "ok");
    REQUIRE(code_of(ctl.send({{"type", "inject_create"},
                              {"inject",
                               {{"id", "inj-gov-ioc"},
                                {"title", "C2 domain"},
                                {"content", "Your IDS vendor flags update-check.example.net"},
                                {"to", {"cert-gov"}},
                                {"indicators", {"ioc-c2"}}}}})) == "ok");
    for (auto& [label, p] : peers)
      p.sync();

    // one team against the other's data: everything it names of the other team is refused
    for (const auto& [me, them] : std::vector<std::pair<std::string, std::string>>{
             {"player:cert-gov", "cert-energy"}, {"player:cert-energy", "cert-gov"}}) {
      Peer& p = peers[me];
      const std::size_t lines = count_commands(journal);
      for (const std::string type : {"inbox", "alerts", "assets", "scores", "sitrep", "read", "assess", "message"}) {
        Json cmd = {{"type", type}, {"team", them}, {"text", "x"}, {"item", "inj-01"}, {"incident", "i"}};
        if (type == std::string("message"))
          cmd["to"] = {me == "player:cert-gov" ? "cert-gov" : "cert-energy"};
        INFO(me, " ", type, " as ", them);
        CHECK(code_of(p.send(cmd)) == "forbidden");
      }
      const std::string their_node = me == "player:cert-gov" ? "node:plc-1" : "node:gov-fs";
      CHECK(code_of(p.send({{"type", "action"}, {"action", "isolate"}, {"target", their_node}})) == "not-owner");
      CHECK(count_commands(journal) == lines);
    }
    CHECK(code_of(peers["player:cert-energy"].send({{"type", "read"}, {"item", "inj-gov-ioc"}})) == "not-found");
    CHECK(code_of(peers["player:cert-energy"].send(
              {{"type", "action"}, {"action", "block"}, {"indicator", "ioc-c2"}})) == "unknown-indicator");

    // role -> allowed (from the protocol's command table)
    struct Case {
      std::string type;
      std::set<std::string> allowed; ///< labels that may send it
      Json body;
    };
    const std::set<std::string> all{"controller", "evaluator", "observer", "player:cert-gov", "player:cert-energy"};
    const std::set<std::string> cep{"controller", "evaluator", "player:cert-gov", "player:cert-energy"};
    const std::set<std::string> ce{"controller", "evaluator"};
    const std::set<std::string> c{"controller"};
    const std::set<std::string> cp{"controller", "player:cert-gov", "player:cert-energy"};
    const Json levels = {{"functional_impact", "low"},
                         {"information_impact", "proprietary"},
                         {"recoverability", "regular"},
                         {"cross_sector", "one"},
                         {"potential_impact", "medium"}};
    std::vector<Case> cases{
        {"clock", all, Json::object()},
        {"snapshot", all, Json::object()},
        {"leaderboard", all, Json::object()},
        {"inbox", cep, Json::object()},
        {"alerts", cep, Json::object()},
        {"assets", cep, Json::object()},
        {"scores", cep, Json::object()},
        {"truth", ce, Json::object()},
        {"msel", ce, Json::object()},
        {"pause", c, Json::object()},
        {"resume", c, Json::object()},
        {"speed", c, {{"speed", 1}}},
        {"step", c, {{"to", "time"}, {"by", "1s"}}},
        {"inject_release", c, {{"inject", "inj-05"}}},
        {"inject_delay", c, {{"inject", "inj-05"}, {"by", "1m"}}},
        {"inject_cancel", c, {{"inject", "inj-06"}}},
        {"inject_create", c, {{"inject", {{"title", "t"}, {"content", "c"}, {"to", {"cert-gov"}}}}}},
        {"official_assessment", c, {{"incident", "inc-1"}, {"levels", levels}}},
        {"observe", ce, {{"team", "cert-gov"}, {"text", "calm and methodical"}}},
        {"rate",
         ce,
         {{"team", "cert-gov"}, {"objective", "obj-share"}, {"critical_task", "ct-share"}, {"rating", "S"}}},
        {"confirm", ce, {{"expectation", "exp-share"}}},
        {"action", cp, {{"action", "patch"}}},
        {"message", cp, {{"text", "hello"}}},
        {"sitrep", cp, {{"text", "all quiet"}}},
        {"assess", cp, {{"incident", "inc-1"}, {"levels", levels}}},
        {"read", cp, {{"item", "inj-01"}}},
        {"start", c, Json::object()},
        {"end", c, Json::object()},
    };
    const std::map<std::string, std::string> own_node{
        {"player:cert-gov", "node:gov-fs"}, {"player:cert-energy", "node:plc-1"}, {"controller", "node:gov-fs"}};
    const std::map<std::string, std::string> other_team{
        {"player:cert-gov", "cert-energy"}, {"player:cert-energy", "cert-gov"}, {"controller", "cert-energy"}};
    int n = 0;
    for (const auto& k : cases) {
      // forbidden for everyone else first: nothing may reach the journal
      const std::size_t lines = count_commands(journal);
      for (const auto& label : all) {
        if (k.allowed.count(label))
          continue;
        Json cmd = k.body;
        cmd["type"] = k.type;
        if (k.type == "inject_create")
          cmd["inject"]["id"] = "forbidden-" + std::to_string(++n);
        if (k.type == "action")
          cmd["target"] = "node:gov-fs";
        if (k.type == "message")
          cmd["to"] = {"cert-gov"};
        Json reply = peers[label].send(cmd);
        INFO(label, " sends ", k.type, ": ", reply.dump());
        CHECK(code_of(reply) == "forbidden");
      }
      CHECK(count_commands(journal) == lines);
      for (const auto& label : k.allowed) {
        Json cmd = k.body;
        cmd["type"] = k.type;
        const bool player = label.rfind("player:", 0) == 0;
        if (!player && (k.type == "inbox" || k.type == "alerts" || k.type == "assets" || k.type == "action" ||
                        k.type == "message" || k.type == "sitrep" || k.type == "assess" || k.type == "read"))
          cmd["team"] = "cert-gov";
        if (k.type == "inject_create")
          cmd["inject"]["id"] = "allowed-" + std::to_string(++n);
        if (k.type == "action")
          cmd["target"] = own_node.at(label);
        if (k.type == "message")
          cmd["to"] = {other_team.at(label)};
        if ((k.type == "start" || k.type == "end") && label != "controller")
          continue;
        Json reply = peers[label].send(cmd);
        INFO(label, " sends ", k.type, ": ", reply.dump());
        CHECK(code_of(reply) != "forbidden");
        if (k.type == "clock" || k.type == "inbox" || k.type == "sitrep" || k.type == "message" || k.type == "read" ||
            k.type == "rate" || k.type == "step")
          CHECK(code_of(reply) == "ok");
      }
    }

    // leaks: inspect every record and every reply each client received
    for (auto& [label, p] : peers)
      p.sync();
    std::map<std::string, std::set<std::string>> team_nodes;
    for (const auto& t : sc.teams)
      for (auto idx : t.asset_nodes)
        team_nodes[t.id].insert(sc.nodes[idx].id);
    auto mentions = [](const std::string& text, const std::string& word) {
      return text.find("\"" + word + "\"") != std::string::npos ||
             text.find("node:" + word + "\"") != std::string::npos;
    };
    std::set<std::string> shared_nodes;
    for (const auto& id : team_nodes["cert-gov"])
      if (team_nodes["cert-energy"].count(id))
        shared_nodes.insert(id);
    for (const auto& [me, them] : std::vector<std::pair<std::string, std::string>>{
             {"player:cert-gov", "cert-energy"}, {"player:cert-energy", "cert-gov"}}) {
      Peer& p = peers[me];
      std::vector<std::string> texts{p.snapshot.dump()};
      for (const auto& r : p.records)
        texts.push_back(r.dump());
      for (const auto& r : p.other)
        texts.push_back(r.dump());
      for (const auto& text : texts) {
        INFO(me, " received ", text.substr(0, 600));
        CHECK(text.find("inj-04") == std::string::npos); // hidden controller note
        CHECK(text.find("\"truth\"") == std::string::npos);
        CHECK(text.find("\"msel\"") == std::string::npos);
        if (them == "cert-energy")
          CHECK(text.find("inj-05") == std::string::npos); // cert-energy's inject
        for (const auto& node : team_nodes[them])
          if (!shared_nodes.count(node))
            CHECK(!mentions(text, node));
      }
      for (const auto& r : p.records)
        if (r.value("kind", "") == "delivery") {
          const std::string self = me.substr(7);
          INFO(r.dump());
          CHECK(r.dump().find(self) != std::string::npos);
        }
    }
    // the observer sees only public records
    for (const auto& r : peers["observer"].records) {
      INFO(r.dump());
      CHECK(r.value("kind", "") == "exercise");
    }
    CHECK(server.alive());
  }
}

namespace {

/// The scripted drill used by net-drill and net-crash: (principal, state-changing command), all accepted, with the
/// clock driven by the controller's "step" so that the outcome does not depend on wall time.
const std::vector<std::pair<std::string, Json>>& drill_script()
{
  static const std::vector<std::pair<std::string, Json>> s{
      {"controller", {{"type", "step"}, {"to", "time"}, {"time", "45m"}}},
      {"player:cert-gov", {{"type", "read"}, {"item", "inj-01"}}},
      {"player:cert-gov",
       {{"type", "message"}, {"to", {"cert-energy"}}, {"text", "summit phishing"}, {"indicators", {"ioc-hash"}}}},
      {"player:cert-gov", {{"type", "action"}, {"action", "isolate"}, {"target", "node:gov-fs"}}},
      {"player:cert-energy", {{"type", "action"}, {"action", "block"}, {"indicator", "ioc-hash"}}},
      {"player:cert-gov", {{"type", "sitrep"}, {"text", "phishing on gov-ws-3; file server isolated"}}},
      {"controller", {{"type", "step"}, {"to", "time"}, {"time", "4h10m"}}},
      {"player:cert-energy", {{"type", "action"}, {"action", "manual_operations"}, {"target", "node:plc-1"}}},
      {"evaluator",
       {{"type", "rate"},
        {"team", "cert-gov"},
        {"objective", "obj-share"},
        {"critical_task", "ct-share"},
        {"rating", "P"}}},
      {"evaluator",
       {{"type", "rate"},
        {"team", "cert-gov"},
        {"objective", "obj-contain"},
        {"critical_task", "ct-isolate"},
        {"rating", "S"}}},
      {"evaluator",
       {{"type", "rate"},
        {"team", "cert-energy"},
        {"objective", "obj-recover"},
        {"critical_task", "ct-manual"},
        {"rating", "M"}}},
      {"controller", {{"type", "step"}, {"to", "time"}, {"time", "8h"}}},
  };
  return s;
}

const std::vector<std::string> labels{"controller", "evaluator", "observer", "player:cert-gov", "player:cert-energy"};

/// Serve the tutorial with `options`, start the clock as the controller, let it run `ms` wall milliseconds and stop
/// the server with `sig` (SIGKILL: a crash; SIGTERM: a clean stop).
void run_clock(const std::string& dir, const std::string& journal, const std::vector<std::string>& options, int ms,
               int sig)
{
  ServerProcess server(dir, tutorial, journal, options);
  REQUIRE(server.start());
  Peer ctl;
  ctl.name = "controller";
  ctl.connect(server.url(), server.token("controller"));
  REQUIRE(code_of(ctl.send({{"type", "start"}})) == "ok");
  std::this_thread::sleep_for(std::chrono::milliseconds(ms));
  CHECK(server.kill(sig) == (sig == SIGTERM ? 0 : 128 + sig));
}

} // namespace

TEST_SUITE("net-drill")
{
  TEST_CASE("a whole drill of the tutorial over WebSocket: injects on time and on triggers, actions, sharing, scores")
  {
    const std::string dir = temp_dir();
    ServerProcess server(dir, tutorial, dir + "/drill.journal");
    REQUIRE(server.start());
    std::map<std::string, Peer> peers;
    for (const auto& label : labels) {
      peers[label].name = label;
      peers[label].connect(server.url(), server.token(label));
    }
    Peer& ctl = peers["controller"];
    Peer& gov = peers["player:cert-gov"];
    Peer& energy = peers["player:cert-energy"];
    Peer& eval = peers["evaluator"];
    auto sync_all = [&] {
      for (auto& [l, p] : peers)
        p.sync();
    };
    auto deliveries = [](const Peer& p, const std::string& inject) {
      return p.find([&](const Json& r) {
        return is_type(r, "delivery", "inject") && r["details"].value("inject", "") == inject;
      });
    };

    // inj-01 is due at H+0 M+15: not a second early, then to both teams at 900 s
    REQUIRE(code_of(ctl.send({{"type", "step"}, {"to", "time"}, {"time", 899}})) == "ok");
    sync_all();
    CHECK(deliveries(gov, "inj-01").empty());
    REQUIRE(code_of(ctl.send({{"type", "step"}, {"to", "time"}, {"time", "45m"}})) == "ok");
    sync_all();
    for (Peer* p : {&gov, &energy}) {
      auto d = deliveries(*p, "inj-01");
      REQUIRE(d.size() == 1);
      CHECK(d[0]["time"] == 900.0);
    }
    CHECK(deliveries(peers["observer"], "inj-01").empty());
    // the gov mail gateway alert carries the phishing indicators to cert-gov only
    auto alerts = gov.find([](const Json& r) { return is_type(r, "event", "alert"); });
    REQUIRE(alerts.size() == 1);
    CHECK(alerts[0]["time"] == 2555.981);
    CHECK(alerts[0]["details"]["indicators"] == Json{"ioc-mail", "ioc-hash"});
    CHECK(energy.find([](const Json& r) { return is_type(r, "event", "alert"); }).empty());

    // cert-energy cannot block what it does not know; cert-gov shares it; then it can
    Json refused = energy.send({{"type", "action"}, {"action", "block"}, {"indicator", "ioc-hash"}});
    CHECK(code_of(refused) == "unknown-indicator");
    for (std::size_t i = 1; i <= 5; ++i) {
      const auto& [who, cmd] = drill_script()[i];
      Json r = peers[who].send(cmd);
      INFO(who, " ", cmd.dump(), " -> ", r.dump());
      CHECK(code_of(r) == "ok");
    }
    sync_all();
    auto msgs = energy.find([](const Json& r) { return is_type(r, "delivery", "message"); });
    REQUIRE(msgs.size() == 1);
    CHECK(msgs[0]["details"]["from"] == "cert-gov");
    CHECK(msgs[0]["details"]["indicators"] == Json{"ioc-hash"});
    // sharing met cert-gov's expectation (met_by a message to cert-energy) before its 4500 s deadline
    auto met = ctl.find([](const Json& r) {
      return is_type(r, "exercise", "expectation_met") && r["details"].value("expectation", "") == "exp-share";
    });
    REQUIRE(met.size() == 1);
    CHECK(met[0]["time"] == 2700.0);

    // time runs on: the isolation and the block take effect; inj-05 arrives at move 2 (4 h); the contingency inj-02
    // is not sent because cert-gov shared in time
    REQUIRE(code_of(ctl.send(drill_script()[6].second)) == "ok");
    sync_all();
    auto isolated = gov.find([](const Json& r) { return is_type(r, "event", "node_isolated"); });
    REQUIRE(isolated.size() == 1);
    CHECK(isolated[0]["subject"] == "node:gov-fs");
    CHECK(isolated[0]["time"] == 3000.0);
    auto blocked = energy.find([](const Json& r) { return is_type(r, "event", "indicator_blocked"); });
    REQUIRE(blocked.size() == 1);
    CHECK(blocked[0]["time"] == 3300.0);
    CHECK(energy.find([](const Json& r) { return is_type(r, "event", "node_isolated"); }).empty());
    REQUIRE(deliveries(energy, "inj-05").size() == 1);
    CHECK(deliveries(energy, "inj-05")[0]["time"] == 14400.0);
    CHECK(deliveries(gov, "inj-05").empty());
    CHECK(deliveries(gov, "inj-02").empty());
    // the isolated file server is never compromised (without the action it falls at 6545.423 s)
    CHECK(
        ctl.find([](const Json& r) { return is_type(r, "event", "node_compromised") && r["subject"] == "node:gov-fs"; })
            .empty());
    // the grid attack trips unit 1 (a triggered world event the White Cell sees)
    CHECK(!ctl.find([](const Json& r) { return is_type(r, "event", "unit_tripped"); }).empty());

    for (std::size_t i = 7; i < drill_script().size(); ++i) {
      const auto& [who, cmd] = drill_script()[i];
      Json r = peers[who].send(cmd);
      INFO(who, " ", cmd.dump(), " -> ", r.dump());
      CHECK(code_of(r) == "ok");
    }
    sync_all();
    // every client saw the exercise end
    for (const auto& label : labels)
      CHECK(
          !peers[label]
               .find([](const Json& r) { return is_type(r, "exercise", "clock") && r["details"]["state"] == "ended"; })
               .empty());

    // ratings by hand: cert-gov obj-share (weight 1) P = 100, obj-contain (weight 2) S = 70 -> (100 + 140) / 3 = 80;
    // cert-energy obj-recover M = 40. Expectations: cert-gov met exp-share, its only decided one -> 100.
    Json board = eval.send({{"type", "leaderboard"}});
    REQUIRE(code_of(board) == "ok");
    std::map<std::string, Json> row;
    for (const auto& t : board["result"]["teams"])
      row[t["team"]] = t;
    CHECK(row["cert-gov"]["ratings"] == 80.0);
    CHECK(row["cert-energy"]["ratings"] == 40.0);
    CHECK(row["cert-gov"]["expectations"] == 100.0);
    // total = 0.4 expectations + 0.4 ratings + 0.2 metrics (the tutorial's weights), to the rounding of the parts
    for (const auto& [team, t] : row) {
      const double total =
          0.4 * t["expectations"].get<double>() + 0.4 * t["ratings"].get<double>() + 0.2 * t["metrics"].get<double>();
      INFO(team, " ", t.dump());
      CHECK(t["total"].get<double>() == doctest::Approx(total).epsilon(0.0002));
    }
    CHECK(row["cert-gov"]["rank"] == 1);
    CHECK(row["cert-gov"]["total"].get<double>() > row["cert-energy"]["total"].get<double>());
    // the observer gets no leaderboard record (it follows ground truth) but the standings, and the last ones (at the
    // end) are the final leaderboard
    CHECK(peers["observer"].find([](const Json& r) { return is_type(r, "exercise", "leaderboard"); }).empty());
    auto boards = peers["observer"].find([](const Json& r) { return is_type(r, "exercise", "standings"); });
    REQUIRE(!boards.empty());
    CHECK(boards.back()["details"]["final"] == true);
    CHECK(boards.back()["details"]["teams"] ==
          ctl.find([](const Json& r) { return is_type(r, "exercise", "leaderboard"); }).back()["details"]["teams"]);
    CHECK(server.kill(SIGTERM) == 0);
  }
}

namespace {

struct DrillOutcome {
  std::string journal;
  Json scores;
};

/// Play drill_script() from its step `from` on, one fresh connection per principal; returns the journal index reached.
void play(ServerProcess& server, std::size_t from, std::size_t to, std::map<std::string, Peer>& peers)
{
  for (std::size_t i = from; i < to; ++i) {
    const auto& [who, script_cmd] = drill_script()[i];
    Json cmd = script_cmd;
    cmd["id"] = "step-" + std::to_string(i); // the journal keeps the id: the same in both runs
    Json r = peers[who].send(cmd);
    INFO("step ", i, " ", who, " ", cmd.dump(), " -> ", r.dump());
    REQUIRE(code_of(r) == "ok");
  }
  (void)server;
}

} // namespace

TEST_SUITE("net-crash")
{
  TEST_CASE("SIGKILL in the middle of a scripted drill: restart, finish; same journal and scores as without the crash")
  {
    // uninterrupted run
    DrillOutcome a;
    {
      const std::string dir = temp_dir();
      ServerProcess server(dir, tutorial, dir + "/drill.journal");
      REQUIRE(server.start());
      std::map<std::string, Peer> peers;
      for (const auto& label : labels) {
        peers[label].name = label;
        peers[label].connect(server.url(), server.token(label));
      }
      play(server, 0, drill_script().size(), peers);
      a.scores = peers["controller"].send({{"type", "scores"}})["result"];
      CHECK(server.kill(SIGTERM) == 0);
      a.journal = slurp(dir + "/drill.journal");
    }
    REQUIRE(count_commands_in(a.journal) == drill_script().size());
    CHECK(a.journal.find("\n{\"end\":{\"time\":28800.0,") != std::string::npos); // ended at 8h, closed by SIGTERM
    {
      // the server's journal replays to the same records, byte for byte
      const std::string dir = temp_dir();
      std::ofstream(dir + "/a.journal", std::ios::binary) << a.journal;
      const std::string cmd = std::string(CYBEREX_BINARY) + " replay " + dir + "/a.journal --verify > " + dir + "/out";
      CHECK(std::system(cmd.c_str()) == 0);
      CHECK(slurp(dir + "/out").find(": identical: " + std::to_string(drill_script().size()) + " commands replayed") !=
            std::string::npos);
    }

    // crashed run: 7 commands acknowledged, the 8th in flight when the server is killed
    DrillOutcome b;
    const std::string dir = temp_dir();
    const std::string journal = dir + "/drill.journal";
    std::string controller_token;
    {
      ServerProcess server(dir, tutorial, journal);
      REQUIRE(server.start());
      std::map<std::string, Peer> peers;
      for (const auto& label : labels) {
        peers[label].name = label;
        peers[label].connect(server.url(), server.token(label));
      }
      controller_token = server.token("controller");
      play(server, 0, 7, peers);
      Json next = drill_script()[7].second;
      next["id"] = "step-7";
      peers[drill_script()[7].first].client.send(next.dump());
      CHECK(server.kill(SIGKILL) == 128 + SIGKILL);
    }
    // a torn last line (a write cut by the crash) is dropped on recovery
    {
      std::ofstream j(journal, std::ios::app);
      j << "{\"index\":99,\"time\":1";
    }
    {
      ServerProcess server(dir, tutorial, journal);
      REQUIRE(server.start());
      CHECK(server.token("controller") == controller_token); // a recovered drill keeps its tokens
      std::map<std::string, Peer> peers;
      for (const auto& label : labels) {
        peers[label].name = label;
        peers[label].connect(server.url(), server.token(label));
      }
      const std::size_t done = peers["controller"].welcome["journal_index"].get<std::size_t>();
      CHECK(done >= 7); // nothing acknowledged is lost
      CHECK(done <= 8);
      Json clock = peers["controller"].send({{"type", "clock"}});
      CHECK(clock["result"]["time"] == 15000.0); // the 4h10m step was replayed
      play(server, done, drill_script().size(), peers);
      b.scores = peers["controller"].send({{"type", "scores"}})["result"];
      const std::string log = server.log();
      CHECK(log.find("dropped a torn last line (no newline") != std::string::npos);
      CHECK(log.find("records (identical to the journal)") != std::string::npos);
      CHECK(log.find("recovering from") != std::string::npos);
      CHECK(server.kill(SIGTERM) == 0);
    }
    b.journal = slurp(journal);
    // the same lines, byte for byte; their MACs differ (each drill journal has its own key)
    CHECK(journal_test::without_macs(b.journal) == journal_test::without_macs(a.journal));
    CHECK(b.scores == a.scores);
  }

  TEST_CASE("SIGKILL in a quiet period: the restart resumes at the last mark's time, not the last record's")
  {
    const std::string dir = temp_dir();
    const std::string journal = dir + "/drill.journal";
    // 20 simulated seconds per wall second, a mark at most every 0.1 s: killed after about 8 s of simulated time,
    // before the tutorial's first event after its start
    run_clock(dir, journal, {"--speed", "20", "--mark-interval", "0.1"}, 400, SIGKILL);
    std::string error;
    auto c = cyberex::read_journal(journal, &error);
    REQUIRE_MESSAGE(c, error);
    CHECK(c->warnings.empty());
    CHECK(!c->end);
    REQUIRE(c->commands.size() == 1);
    const std::string text = slurp(journal);
    const std::vector<std::string> marks = mark_lines(text);
    INFO(text);
    REQUIRE(marks.size() >= 2);
    CHECK(c->marks == marks.size());
    REQUIRE(c->mark);
    CHECK(c->mark->seq == c->records.size());
    CHECK(c->mark->index == 1);
    CHECK(c->mark->time > c->records.back().time); // killed in a quiet period: the last record is older
    CHECK(c->mark_line == static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n')));
    // at most one mark per 0.1 wall seconds: 2 simulated seconds apart at least
    for (std::size_t i = 1; i < marks.size(); ++i) {
      INFO(marks[i - 1], " then ", marks[i]);
      CHECK(Json::parse(marks[i])["mark"]["time"].get<double>() -
                Json::parse(marks[i - 1])["mark"]["time"].get<double>() >=
            2 - 1e-6);
    }
    const std::string last = marks.back();
    const std::string time_text = last.substr(16, last.find(",\"seq\"") - 16); // {"mark":{"time":T,"seq":...
    REQUIRE(last.rfind("{\"mark\":{\"time\":" + time_text + ",", 0) == 0);
    const double mark_time = c->mark->time;
    const std::size_t mark_at = c->mark_line, records_at_mark = c->records.size();
    {
      // a last mark later than a record the replay produces (an edited journal): refused, the file left as it was
      const std::string other = temp_dir();
      // (MACed again with the journal's key, as whoever holds it could: the chain holds, the replay does not)
      const std::string lines = text.substr(0, text.size() - last.size() - 1) +
                                cyberex::JournalMark{700, c->mark->seq, c->mark->index}.to_json() + "\n";
      journal_test::seal_journal(lines, journal, other + "/drill.journal",
                                 static_cast<std::size_t>(std::count(lines.begin(), lines.end(), '\n')));
      const std::string edited = slurp(other + "/drill.journal");
      ServerProcess refused(other, tutorial, other + "/drill.journal");
      CHECK(!refused.start());
      CHECK(refused.exit_status() == 2);
      INFO(refused.log());
      CHECK(refused.log().find(other + "/drill.journal:" + std::to_string(c->mark_line) +
                               ": the replay produces record " + std::to_string(c->records.size() + 1) +
                               " by the mark's time 700.0 s; the mark says " + "the last record then was " +
                               std::to_string(c->records.size()) + "\n  refusing to continue") != std::string::npos);
      CHECK(slurp(other + "/drill.journal") == edited);
    }
    // a mark torn by the crash is dropped with the usual warning: the recovery resumes at the mark before it
    {
      std::ofstream j(journal, std::ios::app);
      j << "{\"mark\":{\"time\":9";
    }
    {
      // marks only when stopped from now on (the interval is not part of the journal)
      ServerProcess server(dir, tutorial, journal, {"--mark-interval", "30"});
      REQUIRE(server.start());
      const std::string log = server.log();
      INFO(log);
      CHECK(log.find(": dropped a torn last line (no newline: the writer stopped while writing it); it began after "
                     "the last durable point (line ") != std::string::npos);
      CHECK(log.find("): no reply or record that depended on it was sent\n") != std::string::npos);
      CHECK(log.find("records (identical to the journal): exercise running at ") != std::string::npos);
      CHECK(log.find("resumed at the mark of line " + std::to_string(c->mark_line) + ": simulated time " + time_text +
                     " s, past the last record\n") != std::string::npos);
      Peer ctl;
      ctl.name = "controller";
      ctl.connect(server.url(), server.token("controller"));
      CHECK(ctl.welcome["seq"] == c->records.size()); // nothing re-emitted beyond the journal's records
      CHECK(ctl.welcome["journal_index"] == 1);
      Json clock = ctl.send({{"type", "clock"}})["result"];
      CHECK(clock["state"] == "running");
      CHECK(clock["time"].get<double>() >= std::round(mark_time * 1000) / 1000); // it runs on from the mark
      // on from there at a higher speed: the world's events after the mark are what a run that never stopped there
      // produces (replay --verify below replays straight through)
      REQUIRE(code_of(ctl.send({{"type", "speed"}, {"speed", 2000}})) == "ok");
      std::this_thread::sleep_for(std::chrono::milliseconds(600));
      clock = ctl.send({{"type", "clock"}})["result"];
      const double reached = clock["time"].get<double>();
      CHECK(reached > 1000);
      CHECK(server.kill(SIGTERM) == 0);
      // stopped while running: the time reached is marked
      c = cyberex::read_journal(journal, &error);
      REQUIRE_MESSAGE(c, error);
      CHECK(c->warnings.empty());
      CHECK(c->records.size() > records_at_mark); // events after the mark
      REQUIRE(c->mark);
      CHECK(c->mark->time >= reached - 0.0005);
      CHECK(cyberex::journal_time_reached(*c) == c->mark->time);
      CHECK(c->mark_line > mark_at);
      CHECK(slurp(journal).find("\n" + last + "\n") != std::string::npos); // the mark recovered from stays
    }
    const std::string cmd = std::string(CYBEREX_BINARY) + " replay " + journal + " --verify > " + dir + "/out";
    CHECK(std::system(cmd.c_str()) == 0);
    CHECK(slurp(dir + "/out") == journal + ": identical: 2 commands replayed, " + std::to_string(c->records.size()) +
                                     " records compared byte for byte\n");

    // --mark-interval 0: no marks
    const std::string dir0 = temp_dir();
    run_clock(dir0, dir0 + "/drill.journal", {"--speed", "50", "--mark-interval", "0"}, 300, SIGTERM);
    CHECK(mark_lines(slurp(dir0 + "/drill.journal")).empty());
    ServerProcess bad(dir0, tutorial, dir0 + "/bad.journal", {"--mark-interval", "-1"});
    CHECK(!bad.start());
    CHECK(bad.exit_status() == 1);
    CHECK(
        bad.log().find("cyberex serve: --mark-interval expects seconds >= 0 and <= 86400 (0: no marks), got '-1'\n") !=
        std::string::npos);
  }

  TEST_CASE("a journal of another scenario or seed is refused")
  {
    const std::string dir = temp_dir();
    const std::string journal = dir + "/drill.journal";
    {
      ServerProcess server(dir, tutorial, journal);
      REQUIRE(server.start());
      CHECK(server.kill(SIGTERM) == 0);
    }
    ServerProcess other_seed(dir, tutorial, journal, {"--seed", "7"});
    CHECK(!other_seed.start());
    CHECK(other_seed.exit_status() == 2);
    CHECK(other_seed.log().find("the journal was written with seed 42; --seed 7 differs") != std::string::npos);
    ServerProcess other(dir, "scenarios/cyber-europe-2012/cyber-europe-2012.json", journal);
    CHECK(!other.start());
    CHECK(other.exit_status() == 2);
    CHECK(other.log().find("the journal was written for scenario scenarios/tutorial/tutorial.json") !=
          std::string::npos);
    {
      // an included file edited since (the MSEL fragment of tests/scenario/responses): refused, naming the file
      const std::string copy = temp_dir();
      for (const char* f : {"drill.json", "msel.json"})
        cli_test::spit(copy + "/" + f, slurp(std::string("tests/scenario/responses/") + f));
      {
        ServerProcess first(copy, copy + "/drill.json", copy + "/drill.journal");
        REQUIRE(first.start());
        CHECK(first.kill(SIGTERM) == 0);
      }
      std::string msel = slurp(copy + "/msel.json");
      msel.replace(msel.find("Online banking slow"), 19, "Online banking down");
      cli_test::spit(copy + "/msel.json", msel);
      ServerProcess edited(copy, copy + "/drill.json", copy + "/drill.journal");
      CHECK(!edited.start());
      CHECK(edited.exit_status() == 2);
      CHECK(edited.log().find("error: " + copy + "/msel.json: changed since the journal was played: its hash is ") !=
            std::string::npos);
      CHECK(edited.log().find("error: " + copy + "/drill.journal: the journal was written for scenario " + copy +
                              "/drill.json on other files (above): use the same scenario files, or a new journal") !=
            std::string::npos);
    }
    // a record on disk that the replay does not reproduce: refused, the journal is left as it was
    std::string text = slurp(journal);
    const auto at = text.find("\"available\":350.0"); // 200 + 150 MW of units
    REQUIRE(at != std::string::npos);
    // on line 4: records 1 and 2 are the two units' dispatch (a networked grid), record 3 the grid's balance at 0
    std::size_t line_start = 0;
    for (int line = 1; line < 4; ++line)
      line_start = text.find('\n', line_start) + 1;
    REQUIRE(line_start < at);
    REQUIRE(text.find('\n', line_start) > at);
    text.replace(at, 17, "\"available\":351.0");
    {
      std::ofstream out(journal, std::ios::binary | std::ios::trunc);
      out << text;
    }
    // edited without the key: the line's MAC does not verify
    ServerProcess edited(dir, tutorial, journal);
    CHECK(!edited.start());
    CHECK(edited.exit_status() == 2);
    INFO(edited.log());
    CHECK(edited.log().find("error: " + journal +
                            ":4: the integrity chain breaks here: this line was edited: its MAC is the one the commit "
                            "file records for line 4, its content is not what was MACed\n") != std::string::npos);
    CHECK(slurp(journal) == text);
    // MACed again with the key (whoever holds it can forge): the replay does not reproduce it
    journal_test::seal_journal(text, journal, journal,
                               static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n')));
    text = slurp(journal);
    ServerProcess tampered(dir, tutorial, journal);
    CHECK(!tampered.start());
    CHECK(tampered.exit_status() == 2);
    INFO(tampered.log());
    CHECK(tampered.log().find(journal + ":4: record 3 differs from what the replay produces") != std::string::npos);
    CHECK(tampered.log().find("refusing to continue") != std::string::npos);
    CHECK(slurp(journal) == text);
  }
  TEST_CASE("recovery refuses a tampered journal, one cut below its durable length, one without its key; all 0600")
  {
    const std::string dir = temp_dir();
    const std::string journal = dir + "/drill.journal";
    {
      ServerProcess server(dir, tutorial, journal);
      REQUIRE(server.start());
      Peer ctl, eval, gov;
      ctl.connect(server.url(), server.token("controller"));
      eval.connect(server.url(), server.token("evaluator"));
      gov.connect(server.url(), server.token("player:cert-gov"));
      REQUIRE(code_of(ctl.send({{"type", "start"}})) == "ok");
      REQUIRE(code_of(ctl.send({{"type", "pause"}})) == "ok");
      for (int i = 0; i < 5; ++i)
        REQUIRE(code_of(gov.send({{"type", "sitrep"}, {"text", "sitrep " + std::to_string(i)}})) == "ok");
      REQUIRE(code_of(eval.send({{"type", "rate"},
                                 {"team", "cert-gov"},
                                 {"objective", "obj-share"},
                                 {"critical_task", "ct-share"},
                                 {"rating", "P"}})) == "ok");
      REQUIRE(code_of(gov.send({{"type", "sitrep"}, {"text", "after the rating"}})) == "ok");
      // the journal, its key, its commit file and the tokens: 0600
      for (const std::string& f :
           {journal, cyberex::journal_key_path(journal), cyberex::journal_commit_path(journal), server.tokens_path()}) {
        struct stat st {};
        REQUIRE(::stat(f.c_str(), &st) == 0);
        INFO(f);
        CHECK((st.st_mode & 0777) == 0600);
      }
      CHECK(server.kill(SIGKILL) == 128 + SIGKILL);
    }
    const std::string text = slurp(journal);
    auto c = cyberex::read_journal(journal);
    REQUIRE(c);
    CHECK(c->warnings.empty());
    REQUIRE(c->commit);
    CHECK(c->commit->index == 9); // every acknowledged command was durable and committed before its reply
    std::vector<std::size_t> starts{0};
    for (std::size_t i = 0; i < text.size(); ++i)
      if (text[i] == '\n')
        starts.push_back(i + 1);
    const std::size_t lines = starts.size() - 1;
    std::size_t rating = 0;
    for (std::size_t n = 1; n <= lines && !rating; ++n)
      if (text.substr(starts[n - 1], starts[n] - starts[n - 1]).find(R"("type":"rate")") != std::string::npos)
        rating = n;
    REQUIRE(rating > 0);
    REQUIRE(rating < lines);
    auto refused = [&](const std::string& on_disk, const std::string& message) {
      cli_test::spit(journal, on_disk);
      ServerProcess server(dir, tutorial, journal);
      CHECK(!server.start());
      CHECK(server.exit_status() == 2);
      INFO(server.log());
      CHECK(server.log().find("error: " + message + "\n") != std::string::npos);
      CHECK(slurp(journal) == on_disk); // left as it was
    };
    // an evaluator's rating changed from P to U
    std::string edited = text;
    edited[edited.find(R"("rating":"P")", starts[rating - 1]) + 10] = 'U';
    refused(edited, journal + ":" + std::to_string(rating) +
                        ": the integrity chain breaks here: this line was edited, or the line before it removed (its "
                        "MAC does not match its content and the line before it; the next line follows it in the "
                        "chain)");
    // a forged rating appended after the crash
    refused(text +
                R"({"index":9,"time":1.0,"role":"evaluator","command":{"type":"rate","team":"cert-gov",)"
                R"("objective":"obj-share","critical_task":"ct-share","rating":"S"},"mac":")" +
                std::string(32, '0') + "\"}\n",
            journal + ":" + std::to_string(lines + 1) + ": the integrity chain breaks here: line " +
                std::to_string(lines + 1) + ", the last line, does not verify with the journal's key: a forged line " +
                "(or edited) after line " + std::to_string(lines) + ", past the last durable point (line " +
                std::to_string(c->commit->lines) + ")");
    // the last command (and what followed it) cut off at a line boundary
    const std::size_t cut = c->command_lines.back();
    REQUIRE(c->commit->lines >= cut);
    const auto records_kept = static_cast<std::size_t>(
        std::lower_bound(c->record_lines.begin(), c->record_lines.end(), cut) - c->record_lines.begin());
    auto thousands = [](std::uint64_t n) {
      std::string d = std::to_string(n), out;
      for (std::size_t i = 0; i < d.size(); ++i)
        out += (i > 0 && (d.size() - i) % 3 == 0 ? "," : "") + std::string(1, d[i]);
      return out;
    };
    // the records the last command caused may or may not have been written before its sync: the commit file says
    REQUIRE(c->commit->seq >= records_kept);
    const std::uint64_t records_lost = c->commit->seq - records_kept;
    refused(text.substr(0, starts[cut - 1]),
            journal + ": cut after line " + std::to_string(cut - 1) + ": the commit file says " +
                std::to_string(c->commit->lines) + " lines (" + thousands(c->commit->bytes) +
                " bytes) were made durable; " +
                (c->commit->lines > cut
                     ? "lines " + std::to_string(cut) + "-" + std::to_string(c->commit->lines) + " are lost"
                     : "line " + std::to_string(cut) + " is lost") +
                ": 1 command (index 9)" +
                (records_lost == 0 ? std::string()
                 : records_lost == 1
                     ? " and 1 record (seq " + std::to_string(c->commit->seq) + ")"
                     : " and " + std::to_string(records_lost) + " records (seq " + std::to_string(records_kept + 1) +
                           "-" + std::to_string(c->commit->seq) + ")"));
    const std::string commit_file = cyberex::journal_commit_path(journal);
    // without its key file
    const std::string key = slurp(cyberex::journal_key_path(journal));
    std::remove(cyberex::journal_key_path(journal).c_str());
    refused(text, journal + ": cannot continue the journal without its key file " + cyberex::journal_key_path(journal) +
                      ": put the key file back beside it, or move the journal aside to start a new drill");
    cli_test::spit(cyberex::journal_key_path(journal), key);
    CHECK(slurp(commit_file).size() == 256);
    // all of it back: it recovers
    cli_test::spit(journal, text);
    ServerProcess server(dir, tutorial, journal);
    REQUIRE(server.start());
    CHECK(server.log().find("records (identical to the journal)") != std::string::npos);
    CHECK(server.kill(SIGTERM) == 0);
  }
}

TEST_SUITE("net-tls")
{
  TEST_CASE("wss:// with a self-signed certificate made by openssl")
  {
    // no openssl is a failure, not a pass: the test would otherwise check nothing (scripts/setup.sh installs it)
    REQUIRE_MESSAGE(std::system("command -v openssl > /dev/null 2>&1") == 0,
                    "openssl is needed to make the test's certificate (scripts/setup.sh installs it)");
    const std::string dir = temp_dir();
    const std::string cmd = "openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=localhost -addext "
                            "subjectAltName=IP:127.0.0.1,DNS:localhost -keyout " +
                            dir + "/key.pem -out " + dir + "/cert.pem > /dev/null 2>&1";
    REQUIRE(std::system(cmd.c_str()) == 0);
    ServerProcess server(dir, tutorial, dir + "/drill.journal",
                         {"--cert", dir + "/cert.pem", "--key", dir + "/key.pem"});
    REQUIRE(server.start());
    ClientOptions o;
    o.ca_file = dir + "/cert.pem";
    Peer ctl;
    ctl.name = "ctl";
    ctl.connect(server.url(true), server.token("controller"), {}, &o);
    CHECK(ctl.welcome["role"] == "controller");
    CHECK(code_of(ctl.send({{"type", "clock"}})) == "ok");
    // without trusting the certificate the client refuses the server
    cyberex::net::DrillClient untrusting;
    ClientOptions u;
    u.url = server.url(true);
    u.token = server.token("controller");
    CHECK_THROWS_WITH(untrusting.connect(u), doctest::Contains("TLS handshake"));
    // and a plain ws:// client gets nowhere
    cyberex::net::DrillClient plain;
    ClientOptions p;
    p.url = server.url(false);
    p.token = server.token("controller");
    CHECK_THROWS(plain.connect(p));
    CHECK(server.alive());
  }
}

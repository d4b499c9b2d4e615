/* The drill server over real WebSocket connections on loopback: `cyberex serve` runs as a child process, the tests
 * connect with cyberex::net::DrillClient. Suites: net-robust (bad input, slow clients, tokens), net-auth (every
 * command with every role, every team against the other's data), net-drill (a whole drill of the tutorial),
 * net-crash (SIGKILL in the middle of a scripted drill, recovery, same journal and scores), net-tls. */
#include "net_support.hpp"

#include "cyberex/scenario.hpp"

#include <set>

using namespace net_test;
using cyberex::net::ClientOptions;

namespace {

const std::string tutorial = "scenarios/tutorial/tutorial.json";

std::size_t count_lines(const std::string& path)
{
  const std::string s = slurp(path);
  return static_cast<std::size_t>(std::count(s.begin(), s.end(), '\n'));
}

std::string code_of(const Json& reply)
{
  return reply.value("ok", false) ? std::string("ok") : reply["error"].value("code", std::string("?"));
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
      labels.push_back(cyberex::net::principal_label(t.who));
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
    CHECK(r["error"]["message"] == "a command is at most 65536 bytes; got 70036");
    CHECK(code_of(gov.send({{"type", "launch_missiles"}})) == "unknown-command");
    CHECK(code_of(gov.send({{"type", "start"}})) == "forbidden");
    // the connection and the others still work, and nothing was journaled
    CHECK(code_of(gov.send({{"type", "clock"}})) == "ok");
    CHECK(code_of(energy.send({{"type", "inbox"}})) == "ok");
    CHECK(count_lines(dir + "/drill.journal") == 1);
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
    // sending 150 takes a few ms at most: the bucket refills by well under 10 in that time
    CHECK(ok >= 100);
    CHECK(ok < 110);
    CHECK(ok + limited == 150);
    CHECK(server.log().find("rate-limited (more than 50 commands/s)") != std::string::npos);
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
      const std::size_t lines = count_lines(journal);
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
      CHECK(count_lines(journal) == lines);
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

    // one team against the other's data: everything it names of the other team is refused
    for (const auto& [me, them] : std::vector<std::pair<std::string, std::string>>{
             {"player:cert-gov", "cert-energy"}, {"player:cert-energy", "cert-gov"}}) {
      Peer& p = peers[me];
      const std::size_t lines = count_lines(journal);
      for (const std::string type : {"inbox", "alerts", "assets", "scores", "sitrep", "read", "assess", "message"}) {
        Json cmd = {{"type", type}, {"team", them}, {"text", "x"}, {"item", "inj-01"}, {"incident", "i"}};
        if (type == std::string("message"))
          cmd["to"] = {me == "player:cert-gov" ? "cert-gov" : "cert-energy"};
        INFO(me, " ", type, " as ", them);
        CHECK(code_of(p.send(cmd)) == "forbidden");
      }
      const std::string their_node = me == "player:cert-gov" ? "node:plc-1" : "node:gov-fs";
      CHECK(code_of(p.send({{"type", "action"}, {"action", "isolate"}, {"target", their_node}})) == "not-owner");
      CHECK(count_lines(journal) == lines);
    }
    CHECK(code_of(peers["player:cert-energy"].send({{"type", "read"}, {"item", "inj-gov-ioc"}})) == "not-found");
    CHECK(code_of(peers["player:cert-energy"].send(
              {{"type", "action"}, {"action", "block"}, {"indicator", "ioc-c2"}})) == "unknown-indicator");

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

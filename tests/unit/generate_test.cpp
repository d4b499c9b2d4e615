/* Tests of the synthetic scenario generator (cyberex generate). */
#include "cyberex/generate.hpp"
#include "cyberex/scenario.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>

using cyberex::GenerateOptions;
using nlohmann::json;

namespace {

std::string generate_text(const GenerateOptions& o)
{
  std::ostringstream out;
  cyberex::generate_scenario(o, out);
  return out.str();
}

GenerateOptions small_options()
{
  GenerateOptions o;
  o.nodes = 2000;
  o.sites = 20;
  o.seed = 7;
  o.duration = 8 * 3600;
  return o;
}

/// Every node id after "count" expansion ('<id>-1' ... '<id>-<count>', as the format documents).
std::set<std::string> node_ids(const json& scenario)
{
  std::set<std::string> ids;
  for (const auto& n : scenario.at("nodes")) {
    const std::string id = n.at("id");
    const int count = n.value("count", 1);
    if (count == 1)
      ids.insert(id);
    else
      for (int i = 1; i <= count; ++i)
        ids.insert(id + "-" + std::to_string(i));
  }
  return ids;
}

std::set<std::string> ids_of(const json& list)
{
  std::set<std::string> ids;
  for (const auto& x : list)
    ids.insert(x.at("id").get<std::string>());
  return ids;
}

/// "kind:id" references as dependencies write them.
bool resolves(const std::string& ref, const std::set<std::string>& nodes, const std::set<std::string>& services,
              const std::set<std::string>& grids)
{
  const auto colon = ref.find(':');
  const std::string kind = ref.substr(0, colon);
  const std::string id = ref.substr(colon + 1);
  return (kind == "node" && nodes.count(id)) || (kind == "service" && services.count(id)) ||
         (kind == "grid" && grids.count(id));
}

int run_cli(const std::string& args, std::string& err)
{
  const std::string err_file = "build-generate-test-stderr.txt";
  const std::string cmd = std::string(CYBEREX_BINARY) + " generate " + args + " 2> " + err_file;
  const int status = std::system(cmd.c_str());
  std::ifstream in(err_file);
  err.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  std::remove(err_file.c_str());
  return WEXITSTATUS(status);
}

} // namespace

TEST_SUITE("generate")
{
  TEST_CASE("a small generated scenario has exactly the requested nodes and every reference resolves")
  {
    const json s = json::parse(generate_text(small_options()));
    CHECK(s.at("cyberex") == 1);
    CHECK(s.at("exercise").at("duration") == "28800s");
    CHECK(s.at("exercise").at("seed") == 7);

    const auto nodes = node_ids(s);
    CHECK(nodes.size() == 2000);
    std::size_t entries = 0;
    for (const auto& n : s.at("nodes"))
      entries += static_cast<std::size_t>(n.value("count", 1));
    CHECK(entries == 2000); // no id collides after expansion

    const auto sites = ids_of(s.at("sites"));
    CHECK(sites.size() == 22); // 20 organisation sites, the internet and the backbone
    const auto services = ids_of(s.at("services"));
    const auto grids = ids_of(s.at("grids"));
    const auto orgs = ids_of(s.at("organisations"));
    CHECK(services.size() == 20);
    CHECK(grids.size() == 1); // 20 sites: one region

    for (const auto& site : s.at("sites"))
      CHECK_MESSAGE(orgs.count(site.at("organisation").get<std::string>()), site.at("id"));
    for (const auto& n : s.at("nodes")) {
      CHECK_MESSAGE(sites.count(n.at("site").get<std::string>()), n.at("id"));
      if (n.contains("uplink"))
        CHECK_MESSAGE(nodes.count(n.at("uplink").get<std::string>()), n.at("id"));
      if (n.contains("grid"))
        CHECK_MESSAGE(grids.count(n.at("grid").get<std::string>()), n.at("id"));
      for (const auto& c : n.value("controls", json::array()))
        CHECK_MESSAGE(nodes.count(c.get<std::string>()), n.at("id"));
    }
    for (const auto& l : s.at("links")) {
      CHECK(nodes.count(l.at("a").get<std::string>()));
      CHECK(nodes.count(l.at("b").get<std::string>()));
    }
    int probes = 0;
    for (const auto& svc : s.at("services")) {
      CHECK_MESSAGE(nodes.count(svc.at("node").get<std::string>()), svc.at("id"));
      if (svc.contains("probe")) {
        ++probes;
        CHECK(nodes.count(svc.at("probe").at("from").get<std::string>()));
      }
    }
    CHECK(probes == 20); // fewer than 300 services: every one is probed
    int with_backup = 0;
    for (const auto& d : s.at("dependencies")) {
      CHECK_MESSAGE(resolves(d.at("dependent"), nodes, services, grids), d.at("id"));
      CHECK_MESSAGE(resolves(d.at("on"), nodes, services, grids), d.at("id"));
      with_backup += d.contains("backup");
    }
    CHECK(s.at("dependencies").size() == 36);
    CHECK(with_backup == 28);

    // power balance: every grid's generation covers its load plus reserve
    double capacity = 0;
    double load = 0;
    for (const auto& n : s.at("nodes")) {
      const std::string kind = n.at("kind");
      if (kind == "generation_unit")
        capacity += std::stod(n.at("capacity").get<std::string>());
      if (kind == "substation")
        load += std::stod(n.at("load").get<std::string>());
    }
    CHECK(load > 0);
    CHECK(load <= 0.8 * capacity);

    const auto& adversary = s.at("adversary");
    CHECK(adversary.at("campaigns").size() == 3);
    CHECK(adversary.at("botnets").size() == 1);
    for (const auto& a : adversary.at("botnets")[0].at("attach"))
      CHECK(nodes.count(a.get<std::string>()));
    CHECK(services.count(adversary.at("botnets")[0].at("target").get<std::string>().substr(8)));
    const auto teams = ids_of(s.at("teams"));
    CHECK(teams.size() == 8);
    for (const auto& sensor : s.at("sensors"))
      CHECK(teams.count(sensor.at("team").get<std::string>()));
    CHECK(s.at("msel").size() == 6);
  }

  TEST_CASE("a small generated scenario loads with load_scenario() with no error and no warning")
  {
    const std::string file = "build-generate-load-test.json";
    {
      std::ofstream out(file, std::ios::binary);
      cyberex::generate_scenario(small_options(), out);
    }
    const cyberex::LoadResult r = cyberex::load_scenario(file);
    std::remove(file.c_str());
    for (const auto& d : r.diagnostics.items())
      MESSAGE(d.format());
    REQUIRE(r.ok());
    CHECK(r.diagnostics.items().empty());
    const cyberex::Scenario& s = *r.scenario;
    CHECK(s.nodes.size() == 2000);
    CHECK(s.sites.size() == 22);
    CHECK(s.services.size() == 20);
    CHECK(s.dependencies.size() == 36);
    CHECK(s.campaigns.size() == 3);
    CHECK(s.botnets.size() == 1);
    CHECK(s.sensors.size() == 8);
    CHECK(s.msel.size() == 6);
    CHECK(s.exercise.duration == 28800);
    // the workstation group of the first agency expands to gov-0001-ws-1 ...
    REQUIRE(s.node_by_id.count("gov-0001-ws-1") == 1);
    CHECK(s.nodes[static_cast<std::size_t>(s.node_by_id.at("gov-0001-ws-1"))].kind == cyberex::NodeKind::workstation);
    // every team defends something, and the energy team both kinds of energy site
    for (const auto& t : s.teams)
      if (t.role == cyberex::TeamRole::player)
        CHECK_MESSAGE(!t.asset_nodes.empty(), t.id);
  }

  TEST_CASE("the national-scale default has a few hundred probes and the requested size")
  {
    GenerateOptions o; // 100,000 nodes over 1,000 sites
    std::ostringstream out;
    const auto sum = cyberex::generate_scenario(o, out);
    CHECK(sum.nodes == 100000);
    CHECK(sum.sites == 1002);
    CHECK(sum.services == 1000);
    CHECK(sum.probes == 250); // every 4th service: ceil(1000 / 300) = 4
    CHECK(sum.bytes == static_cast<std::int64_t>(out.str().size()));
    CHECK(node_ids(json::parse(out.str())).size() == 100000);
  }

  TEST_CASE("the same options give the same bytes; another seed gives another scenario")
  {
    const std::string a = generate_text(small_options());
    CHECK(a == generate_text(small_options()));
    GenerateOptions other = small_options();
    other.seed = 8;
    CHECK(a != generate_text(other));
  }

  TEST_CASE("inconsistent options are refused with a message")
  {
    GenerateOptions o = small_options();
    o.sites = 3;
    CHECK(cyberex::check_generate_options(o) == "--sites must be at least 7 (one per kind of site), got 3");
    o = small_options();
    o.nodes = 100;
    // 20 sites: 3 agencies (6 nodes each), 4 banks (5), 3 hospitals (4), 2 operators (3), 3 water boards (6),
    // 2 utilities (5), 3 plants (11): 117; backbone 4, internet 14; one workstation per site: 155
    CHECK(cyberex::check_generate_options(o) == "--nodes must be at least 155 for 20 sites, got 100");
    CHECK_THROWS_AS(generate_text(o), std::invalid_argument);
    o.nodes = 155;
    CHECK(cyberex::check_generate_options(o).empty());
    CHECK(node_ids(json::parse(generate_text(o))).size() == 155);
  }

  TEST_CASE("cyberex generate: options and errors")
  {
    std::string err;
    CHECK(run_cli("--nodes 10 --sites 20 -o /dev/null", err) == 2);
    CHECK(err == "cyberex generate: --nodes must be at least 155 for 20 sites, got 10\n");
    CHECK(run_cli("--duration 2x -o /dev/null", err) == 2);
    CHECK(err == "cyberex generate: option '--duration' expects a duration such as \"24h\", \"90m\" or \"1d12h\"; "
                 "got '2x'\n");
    CHECK(run_cli("--nodes 2000", err) == 2);
    CHECK(err.rfind("cyberex generate: missing -o FILE\n", 0) == 0);
    const std::string file = "build-generate-test.json";
    CHECK(run_cli("--nodes 2000 --sites 20 --seed 7 --duration 8h -o " + file, err) == 0);
    std::ifstream in(file);
    const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::remove(file.c_str());
    CHECK(text == generate_text(small_options()));
  }
}

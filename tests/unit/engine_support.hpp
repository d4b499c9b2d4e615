/* Helpers for the engine tests: small scenarios built in C++, and running each simulation in a child process
 * (SimGrid allows one engine per process; doctest stays in the parent). */
#pragma once

#include "child_asserts.hpp"
#include "cyberex/engine.hpp"
#include "cyberex/model.hpp"
#include "cyberex/scenario.hpp"

#include <nlohmann/json.hpp>

#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <functional>
#include <string>
#include <vector>

namespace cyberex::test {

/// Runs `body` in a forked child and returns what it returned; "CHILD <status>" if the child died or an assertion
/// failed in it (exit status CHILD_ASSERT_FAILED: child_asserts.hpp).
inline std::string in_child(const std::function<std::string()>& body)
{
  std::fflush(stdout);
  std::fflush(stderr);
  int fd[2];
  if (pipe(fd) != 0)
    return "CHILD pipe failed";
  const pid_t pid = fork();
  if (pid == 0) {
    close(fd[0]);
    const int failed_before = failed_assertions();
    std::string out;
    try {
      out = body();
    } catch (const std::exception& e) {
      out = std::string("EXCEPTION ") + e.what();
    }
    std::size_t off = 0;
    while (off < out.size()) {
      const ssize_t w = write(fd[1], out.data() + off, out.size() - off);
      if (w <= 0)
        break;
      off += static_cast<std::size_t>(w);
    }
    close(fd[1]);
    std::fflush(stdout);
    _exit(failed_assertions() > failed_before ? CHILD_ASSERT_FAILED : 0);
  }
  close(fd[1]);
  std::string out;
  char buf[65536];
  ssize_t r;
  while ((r = read(fd[0], buf, sizeof buf)) > 0)
    out.append(buf, static_cast<std::size_t>(r));
  close(fd[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
    return "CHILD " + std::to_string(status) + " " + out;
  return out;
}

/// A scenario assembled by hand, with the indices and lookups the loader would fill.
struct Builder {
  Scenario sc;

  Builder()
  {
    sc.exercise.id = "test";
    sc.exercise.duration = 8 * 3600;
    sc.sites.push_back(Site{});
    sc.sites[0].id = "site";
  }
  /// A node of site `site` (created on first use; every node is in "site" unless told).
  Index node(const std::string& id, NodeKind kind = NodeKind::server, const std::string& site = "site")
  {
    Index site_index = NO_INDEX;
    for (std::size_t i = 0; i < sc.sites.size(); ++i)
      if (sc.sites[i].id == site)
        site_index = static_cast<Index>(i);
    if (site_index == NO_INDEX) {
      sc.sites.push_back(Site{});
      sc.sites.back().id = site;
      site_index = static_cast<Index>(sc.sites.size() - 1);
    }
    Node n;
    n.id = id;
    n.site = site;
    n.site_index = site_index;
    n.kind = kind;
    sc.nodes.push_back(n);
    return static_cast<Index>(sc.nodes.size() - 1);
  }
  Link& link(const std::string& a, const std::string& b, double bandwidth, double latency)
  {
    Link l;
    l.id = a + "-" + b;
    l.a = a;
    l.b = b;
    l.bandwidth = bandwidth;
    l.latency = latency;
    sc.links.push_back(l);
    return sc.links.back();
  }
  Team& team(const std::string& id, std::vector<std::string> assets)
  {
    Team t;
    t.id = id;
    t.assets = std::move(assets);
    sc.teams.push_back(t);
    return sc.teams.back();
  }
  Index indicator(const std::string& id)
  {
    Indicator i;
    i.id = id;
    i.value = id + ".example";
    sc.indicators.push_back(i);
    return static_cast<Index>(sc.indicators.size() - 1);
  }
  void action(ActionType type, double duration, double effect_duration = 0, double capacity = 1)
  {
    ActionSpec a;
    a.type = type;
    a.duration = duration;
    a.effect_duration = effect_duration;
    a.capacity = capacity;
    sc.actions.push_back(a);
  }
  /// A service on `node` probed from `from` every minute, timeout 5 s, degraded above 0.5 s.
  Service& probed_service(const std::string& id, const std::string& node, const std::string& from, double request_bytes,
                          double response_bytes)
  {
    Service s;
    s.id = id;
    s.node = node;
    Probe p;
    p.from = from;
    p.interval = 60;
    p.timeout = 5;
    p.degraded_latency = 0.5;
    p.request_bytes = request_bytes;
    p.response_bytes = response_bytes;
    s.probe = p;
    sc.services.push_back(s);
    return sc.services.back();
  }
  Index at(const std::string& id) const { return sc.node_by_id.at(id); }

  /// Fills the *_index fields and lookups from the ids (what the loader's resolve pass does).
  Scenario& done()
  {
    auto& s = sc;
    s.node_by_id.clear();
    for (std::size_t i = 0; i < s.nodes.size(); ++i)
      s.node_by_id[s.nodes[i].id] = static_cast<Index>(i);
    for (std::size_t i = 0; i < s.sites.size(); ++i)
      s.site_by_id[s.sites[i].id] = static_cast<Index>(i);
    for (std::size_t i = 0; i < s.teams.size(); ++i)
      s.team_by_id[s.teams[i].id] = static_cast<Index>(i);
    for (std::size_t i = 0; i < s.services.size(); ++i)
      s.service_by_id[s.services[i].id] = static_cast<Index>(i);
    for (std::size_t i = 0; i < s.grids.size(); ++i)
      s.grid_by_id[s.grids[i].id] = static_cast<Index>(i);
    for (std::size_t i = 0; i < s.indicators.size(); ++i)
      s.indicator_by_id[s.indicators[i].id] = static_cast<Index>(i);
    auto idx = [&](const std::string& id) { return id.empty() ? NO_INDEX : s.node_by_id.at(id); };
    auto inds = [&](const std::vector<std::string>& ids) {
      std::vector<Index> v;
      for (const auto& i : ids)
        v.push_back(s.indicator_by_id.at(i));
      return v;
    };
    for (auto& l : s.links) {
      l.a_index = idx(l.a);
      l.b_index = idx(l.b);
    }
    for (auto& n : s.nodes) {
      n.controls_index.clear();
      for (const auto& c : n.controls)
        n.controls_index.push_back(idx(c));
      n.grid_index = n.grid.empty() ? NO_INDEX : s.grid_by_id.at(n.grid);
    }
    for (auto& t : s.teams) {
      t.asset_nodes.clear();
      for (const auto& a : t.assets)
        t.asset_nodes.push_back(idx(a.substr(a.find(':') + 1)));
      std::sort(t.asset_nodes.begin(), t.asset_nodes.end());
    }
    for (auto& sv : s.services) {
      sv.node_index = idx(sv.node);
      if (sv.probe)
        sv.probe->from_index = idx(sv.probe->from);
    }
    for (auto& c : s.campaigns) {
      c.c2.node_index = idx(c.c2.node);
      c.c2.indicators_index = inds(c.c2.indicators);
      for (auto& st : c.steps) {
        st.indicators_index = inds(st.indicators);
        st.target_nodes = st.target.empty() ? std::vector<Index>{} : select_nodes(s, st.target);
        st.requires_.steps_index.clear();
        for (const auto& r : st.requires_.steps)
          for (std::size_t k = 0; k < c.steps.size(); ++k)
            if (c.steps[k].id == r)
              st.requires_.steps_index.push_back(static_cast<Index>(k));
      }
    }
    for (auto& b : s.botnets) {
      b.attach_index.clear();
      for (const auto& a : b.attach)
        b.attach_index.push_back(idx(a));
      b.indicators_index = inds(b.indicators);
    }
    for (auto& k : s.sensors) {
      k.team_index = s.team_by_id.at(k.team);
      k.covers_nodes.clear();
      for (const auto& c : k.covers)
        k.covers_nodes.push_back(idx(c.substr(c.find(':') + 1)));
      std::sort(k.covers_nodes.begin(), k.covers_nodes.end());
    }
    return s;
  }
};

/// The office of the campaign tests: att (attacker) -- fw -- sw -- ws (workstation; CVE-1 enables T1566) and
/// sw -- fs (file server). Returns the sw-fs link (for firewall rules).
inline Link& office_network(Builder& b)
{
  b.node("att", NodeKind::attacker);
  b.node("fw", NodeKind::firewall);
  b.node("sw", NodeKind::switch_);
  Index ws = b.node("ws", NodeKind::workstation);
  b.node("fs", NodeKind::file_server);
  b.sc.nodes[ws].vulnerabilities.push_back(Vulnerability{"CVE-1", {"T1566"}, 1});
  b.link("att", "fw", 1.25e7, 0.01);
  b.link("fw", "sw", 1.25e8, 0.001);
  b.link("sw", "ws", 1.25e8, 0.001);
  return b.link("sw", "fs", 1.25e8, 0.001);
}

/// The small grid of the power tests: grid "north" (20 MW reserve) with units g1 (200 MW) and g2 (150 MW),
/// substations A (180 MW, 200,000 customers, shed second) and B (120 MW, 150,000 customers, shed first), a pumping
/// station "pump", and an attacker "att" linked to a PLC "plc" (1.25 MB/s, 10 ms) that controls `controlled`.
inline void north_grid(Builder& b, const std::string& controlled)
{
  Grid g;
  g.id = "north";
  g.reserve_mw = 20;
  b.sc.grids.push_back(g);
  b.node("att", NodeKind::attacker);
  Index plc = b.node("plc", NodeKind::plc);
  b.sc.nodes[plc].controls = {controlled};
  Index g1 = b.node("g1", NodeKind::generation_unit);
  Index g2 = b.node("g2", NodeKind::generation_unit);
  Index A = b.node("A", NodeKind::substation);
  Index B = b.node("B", NodeKind::substation);
  b.node("pump", NodeKind::pumping_station);
  for (Index i : {g1, g2, A, B})
    b.sc.nodes[i].grid = "north";
  b.sc.nodes[g1].capacity_mw = 200;
  b.sc.nodes[g2].capacity_mw = 150;
  b.sc.nodes[A].load_mw = 180;
  b.sc.nodes[A].customers = 200000;
  b.sc.nodes[A].shed_priority = 2;
  b.sc.nodes[B].load_mw = 120;
  b.sc.nodes[B].customers = 150000;
  b.sc.nodes[B].shed_priority = 1;
  b.link("att", "plc", 1.25e6, 0.01);
}

inline Distribution fixed(double v)
{
  Distribution d;
  d.a = v;
  return d;
}

inline Step step(const std::string& id, const std::string& technique, const std::string& source,
                 const std::string& target, double duration, StepEffect effect)
{
  Step s;
  s.id = id;
  s.technique = technique;
  s.source = source;
  s.target = target;
  s.duration = fixed(duration);
  s.effect = effect;
  return s;
}

/// Runs the scenario in a child until `until`, applying `commands`; returns {"events": [...], "kpis": {...}}.
inline nlohmann::json run(const Scenario& sc, double until, const std::vector<Command>& commands = {},
                          SimulationOptions options = {})
{
  const std::string out = in_child([&]() {
    std::string events = "[";
    Simulation sim(sc, options, [&](const Event& e) {
      if (events.size() > 1)
        events += ",";
      events += e.to_json();
    });
    for (const auto& c : commands) {
      auto r = sim.apply(c);
      if (!r.ok)
        return std::string("REJECTED ") + r.error;
    }
    sim.advance_to(until);
    return "{\"events\":" + events + "],\"kpis\":" + kpis_to_json(sim.kpis()) + "}";
  });
  auto j = nlohmann::json::parse(out, nullptr, false);
  if (j.is_discarded()) {
    std::fprintf(stderr, "child output: %s\n", out.substr(0, 2000).c_str());
    return nlohmann::json::object();
  }
  return j;
}

/// Events of one type (and subject, if given), in order.
inline std::vector<nlohmann::json> events_of(const nlohmann::json& run, const std::string& type,
                                             const std::string& subject = "")
{
  std::vector<nlohmann::json> v;
  if (!run.contains("events"))
    return v;
  for (const auto& e : run["events"])
    if (e["type"] == type && (subject.empty() || e["subject"] == subject))
      v.push_back(e);
  return v;
}

/// On the north grid: service "water" on "pump" depends on substation A, with a backup of `backup_kind` lasting
/// `backup_seconds`; campaign "blackout" trips the PLC's equipment from outside at 1 h.
inline void water_and_blackout(Builder& b, double backup_seconds, const std::string& backup_kind)
{
  Service w;
  w.id = "water";
  w.node = "pump";
  b.sc.services.push_back(w);
  Dependency d;
  d.id = "water-needs-A";
  d.dependent = "service:water";
  d.on = "node:A";
  d.backup = Backup{backup_kind, backup_seconds};
  b.sc.dependencies.push_back(d);
  Campaign c;
  c.id = "blackout";
  c.start = 3600;
  c.steps.push_back(step("trip", "T0855", "external", "node:plc", 0, StepEffect::trip));
  b.sc.campaigns.push_back(c);
}

/// The times of some events, in order.
inline std::vector<double> times(const std::vector<nlohmann::json>& events)
{
  std::vector<double> v;
  for (const auto& e : events)
    v.push_back(e["time"].get<double>());
  return v;
}

} // namespace cyberex::test

/* Synthetic national-scale scenario: a telecom backbone, then sites of seven kinds (government agencies, banks,
 * hospitals, telecom operators, water boards, utilities' corporate networks and power plants), each with a small
 * fixed core of named nodes and one "count" group of workstations that brings the total to exactly the requested
 * node count. On top: grids balanced per region, one service per site, a few hundred probes, cross-sector
 * dependencies with backups, three campaigns, a botnet, sensors per sector team and a few injects.
 *
 * The file is written as it is produced (memory grows with the number of sites, not of nodes), with printf-style
 * formatting: every id and name is generated here from a fixed alphabet, so nothing needs JSON escaping. */
#include "cyberex/generate.hpp"
#include "common/stream_rng.hpp"
#include "cyberex/record.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdarg>
#include <cstdio>
#include <ostream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace cyberex {
namespace {

// ---------------------------------------------------------------------------------------------------------------
// Randomness: one stream per purpose, derived from (seed, name); no std::*_distribution.

class Rng : public detail::StreamRng {
public:
  using StreamRng::StreamRng;
  /// Uniform integer in [0, n).
  std::int64_t below(std::int64_t n) { return static_cast<std::int64_t>(next() % static_cast<std::uint64_t>(n)); }
  /// Uniform integer in [lo, hi].
  std::int64_t between(std::int64_t lo, std::int64_t hi) { return lo + below(hi - lo + 1); }
};

// ---------------------------------------------------------------------------------------------------------------
// Site kinds

enum class SiteKind { government, finance, health, telecom, water, energy_it, energy_ot };
constexpr int SITE_KINDS = 7;

struct KindInfo {
  const char* prefix; ///< site id prefix
  const char* sector;
  const char* team;  ///< the sector's national team
  const char* label; ///< for site names
  double share;      ///< fraction of the sites
  int fixed_nodes;   ///< named nodes besides the workstation group
};

// fixed_nodes must match the node list that write_site() emits for the kind
constexpr std::array<KindInfo, SITE_KINDS> KINDS = {{
    {"gov", "government", "csirt-gov", "Government agency", 0.22, 6},
    {"bank", "finance", "csirt-finance", "Bank", 0.18, 5},
    {"hosp", "health", "csirt-health", "Hospital", 0.14, 4},
    {"tel", "telecom", "csirt-telecom", "Telecom operator", 0.08, 3},
    {"water", "water", "csirt-water", "Water board", 0.14, 6},
    {"util", "energy", "csirt-energy", "Utility corporate network", 0.10, 5},
    {"plant", "energy", "csirt-energy", "Power plant", 0.14, 11},
}};

const KindInfo& info(SiteKind k)
{
  return KINDS[static_cast<std::size_t>(k)];
}

constexpr int SUBSTATIONS_PER_PLANT = 3;
constexpr int PROBE_TARGET = 300; ///< about this many services get an availability probe
constexpr int MONITORS = 8;       ///< probe nodes on the internet
constexpr int BOT_GATEWAYS = 3;

struct SiteInfo {
  std::string id;
  SiteKind kind = SiteKind::government;
  int region = 0;   ///< grid and preferred telecom operator
  int backbone = 0; ///< backbone router the site's gateway hangs on
  std::int64_t workstations = 1;
  double lat = 0;
  double lon = 0;
  // power plants
  std::array<int, 2> gen_mw{};
  std::array<int, SUBSTATIONS_PER_PLANT> sub_mw{};
  std::array<std::int64_t, SUBSTATIONS_PER_PLANT> customers{};
  std::int64_t consumers = 0; ///< of the site's service
};

struct World {
  std::vector<SiteInfo> sites;
  std::array<std::vector<int>, SITE_KINDS> by_kind; ///< site indices per kind, in order
  int regions = 1;
  int backbone_routers = 4;
  std::int64_t fixed_nodes = 0; ///< every node that is not in a workstation group
};

int backbone_count(std::int64_t sites)
{
  return static_cast<int>(std::clamp<std::int64_t>(sites / 20, 4, 60));
}

// Internet: inet, two C2 servers, bot gateways, probe monitors.
constexpr int INTERNET_NODES = 3 + BOT_GATEWAYS + MONITORS;

std::int64_t fixed_nodes_for(const std::array<std::int64_t, SITE_KINDS>& counts, std::int64_t sites)
{
  std::int64_t n = INTERNET_NODES + backbone_count(sites);
  for (int k = 0; k < SITE_KINDS; ++k)
    n += counts[static_cast<std::size_t>(k)] * KINDS[static_cast<std::size_t>(k)].fixed_nodes;
  return n;
}

std::array<std::int64_t, SITE_KINDS> kind_counts(std::int64_t sites)
{
  std::array<std::int64_t, SITE_KINDS> counts{};
  std::int64_t assigned = 0;
  for (int k = 1; k < SITE_KINDS; ++k) {
    const auto i = static_cast<std::size_t>(k);
    counts[i] = std::max<std::int64_t>(1, std::llround(static_cast<double>(sites) * KINDS[i].share));
    assigned += counts[i];
  }
  counts[0] = sites - assigned; // government takes the rounding
  return counts;
}

World plan(const GenerateOptions& o)
{
  World w;
  const auto counts = kind_counts(o.sites);
  w.backbone_routers = backbone_count(o.sites);
  w.fixed_nodes = fixed_nodes_for(counts, o.sites);
  w.regions =
      static_cast<int>(std::clamp<std::int64_t>(o.sites / 100, 1, counts[static_cast<int>(SiteKind::energy_ot)]));
  Rng rng(o.seed, "sites");
  const std::int64_t groups = o.nodes - w.fixed_nodes;
  const std::int64_t per_site = groups / o.sites;
  std::int64_t extra = groups % o.sites;
  for (int k = 0; k < SITE_KINDS; ++k) {
    const auto kind = static_cast<SiteKind>(k);
    for (std::int64_t j = 0; j < counts[static_cast<std::size_t>(k)]; ++j) {
      SiteInfo s;
      char id[32];
      std::snprintf(id, sizeof id, "%s-%04lld", info(kind).prefix, static_cast<long long>(j + 1));
      s.id = id;
      s.kind = kind;
      s.region = static_cast<int>(j % w.regions);
      s.backbone = static_cast<int>(rng.below(w.backbone_routers));
      s.workstations = per_site + (extra > 0 ? 1 : 0);
      extra -= extra > 0;
      s.lat = rng.uniform(47.0, 55.0);
      s.lon = rng.uniform(2.0, 15.0);
      switch (kind) {
      case SiteKind::energy_ot: {
        std::int64_t total = 0;
        for (auto& g : s.gen_mw) {
          g = static_cast<int>(rng.between(10, 60) * 10); // 100..600 MW
          total += g;
        }
        // the plant's substations take 80% of its capacity: every grid keeps a margin
        const std::int64_t load = total * 8 / 10;
        std::int64_t left = load;
        for (int i = 0; i < SUBSTATIONS_PER_PLANT; ++i) {
          const auto idx = static_cast<std::size_t>(i);
          s.sub_mw[idx] = static_cast<int>(i + 1 < SUBSTATIONS_PER_PLANT ? load / SUBSTATIONS_PER_PLANT : left);
          left -= s.sub_mw[idx];
          s.customers[idx] = s.sub_mw[idx] * rng.between(900, 1500);
        }
        s.consumers = s.customers[0];
        break;
      }
      case SiteKind::water:
        s.consumers = rng.between(20, 200) * 1000;
        break;
      case SiteKind::telecom:
        s.consumers = rng.between(100, 2000) * 1000;
        break;
      case SiteKind::finance:
        s.consumers = rng.between(10, 500) * 1000;
        break;
      default:
        s.consumers = rng.between(1, 100) * 1000;
        break;
      }
      w.by_kind[static_cast<std::size_t>(k)].push_back(static_cast<int>(w.sites.size()));
      w.sites.push_back(std::move(s));
    }
  }
  return w;
}

// ---------------------------------------------------------------------------------------------------------------
// Output

class Writer {
public:
  explicit Writer(std::ostream& out) : out_(out) { buf_.reserve(FLUSH_AT + 4096); }
  Writer(const Writer&) = delete;
  Writer& operator=(const Writer&) = delete;
  ~Writer() { flush(); }

  void raw(std::string_view s)
  {
    buf_.append(s);
    maybe_flush();
  }

  __attribute__((format(printf, 2, 3))) void f(const char* fmt, ...)
  {
    char tmp[2048];
    va_list ap;
    va_start(ap, fmt);
    const int n = std::vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    if (n < 0 || static_cast<std::size_t>(n) >= sizeof tmp)
      throw std::logic_error("generate: formatted line longer than the buffer");
    buf_.append(tmp, static_cast<std::size_t>(n));
    maybe_flush();
  }

  /// Separator between array elements: nothing before the first, ",\n" before the others.
  void item(bool& first)
  {
    if (!first)
      raw(",\n");
    first = false;
  }

  void flush()
  {
    out_.write(buf_.data(), static_cast<std::streamsize>(buf_.size()));
    written_ += static_cast<std::int64_t>(buf_.size());
    buf_.clear();
  }
  std::int64_t written() const { return written_ + static_cast<std::int64_t>(buf_.size()); }

private:
  static constexpr std::size_t FLUSH_AT = 1u << 20;
  void maybe_flush()
  {
    if (buf_.size() >= FLUSH_AT)
      flush();
  }
  std::ostream& out_;
  std::string buf_;
  std::int64_t written_ = 0;
};

/// A duration in whole minutes (at least 1) for times scaled on the exercise duration.
std::string minutes(double seconds)
{
  return std::to_string(std::max<long long>(1, std::llround(seconds / 60.0))) + "m";
}

std::string grid_id(int region)
{
  char id[24];
  std::snprintf(id, sizeof id, "grid-%02d", region + 1);
  return id;
}

std::string backbone_id(int router)
{
  char id[24];
  std::snprintf(id, sizeof id, "bb-%03d", router + 1);
  return id;
}

class Generator {
public:
  Generator(const GenerateOptions& o, std::ostream& out) : o_(o), w_(plan(o)), out_(out) {}

  GenerateSummary run()
  {
    out_.raw("{\n\"cyberex\": 1,\n");
    exercise();
    organisations();
    teams();
    sites();
    nodes();
    links();
    grids();
    services();
    dependencies();
    indicators();
    adversary();
    sensors();
    msel();
    actions();
    objectives();
    out_.raw("}\n");
    out_.flush();
    sum_.nodes = o_.nodes;
    sum_.sites = static_cast<std::int64_t>(w_.sites.size()) + 2;
    sum_.bytes = out_.written();
    return sum_;
  }

private:
  const SiteInfo& site(SiteKind k, std::size_t i) const
  {
    const auto& v = w_.by_kind[static_cast<std::size_t>(k)];
    return w_.sites[static_cast<std::size_t>(v[i % v.size()])];
  }
  /// The telecom operator that serves a region (operators are spread over regions round-robin).
  const SiteInfo& telecom_for(int region) const { return site(SiteKind::telecom, static_cast<std::size_t>(region)); }
  /// A plant of the region (there is at least one per region: regions <= plants).
  const SiteInfo& plant_for(int region, std::size_t salt) const
  {
    const auto& plants = w_.by_kind[static_cast<std::size_t>(SiteKind::energy_ot)];
    const std::size_t in_region = (plants.size() - static_cast<std::size_t>(region) + w_.regions - 1) / w_.regions;
    const std::size_t k = static_cast<std::size_t>(region) + (salt % in_region) * static_cast<std::size_t>(w_.regions);
    return w_.sites[static_cast<std::size_t>(plants[k])];
  }
  /// The sites of a kind, as a JSON list of "site:ID" selectors (with an optional extra selector word).
  void site_selectors(SiteKind k, const char* extra)
  {
    bool first = true;
    for (int i : w_.by_kind[static_cast<std::size_t>(k)]) {
      out_.raw(first ? "\"" : ", \"");
      first = false;
      out_.f("site:%s%s\"", w_.sites[static_cast<std::size_t>(i)].id.c_str(), extra);
    }
  }

  void exercise()
  {
    out_.f("\"exercise\": {\n  \"id\": \"synthetic-%lld-%lld-%llu\",\n", static_cast<long long>(o_.nodes),
           static_cast<long long>(o_.sites), static_cast<unsigned long long>(o_.seed));
    out_.f("  \"title\": \"Synthetic national-scale scenario: %lld nodes over %lld sites\",\n",
           static_cast<long long>(o_.nodes), static_cast<long long>(o_.sites));
    out_.raw("  \"description\": \"Generated by cyberex generate for benchmarks: a telecom backbone, government, "
             "finance, health, telecom, water and energy sites, regional grids, an APT, a grid attack, ransomware "
             "and a botnet.\",\n");
    out_.f("  \"start\": \"2026-03-02T08:00:00\",\n  \"timezone\": \"Europe/Brussels\",\n  \"duration\": \"%llds\",\n",
           static_cast<long long>(std::llround(o_.duration)));
    out_.f("  \"seed\": %llu,\n", static_cast<unsigned long long>(o_.seed));
    out_.raw("  \"moves\": [ { \"id\": \"move-1\", \"title\": \"National crisis\", \"offset\": \"0s\", "
             "\"situation_time\": \"2026-03-02T08:00:00\", \"description\": \"Everything happens at once.\" } ]\n},\n");
  }

  void organisations()
  {
    out_.raw("\"organisations\": [\n");
    bool first = true;
    out_.item(first);
    out_.raw(R"(  { "id": "control", "name": "Exercise Control", "country": "EU", "sector": "government" })");
    out_.item(first);
    out_.raw(R"(  { "id": "carrier", "name": "National backbone carrier", "country": "EU", "sector": "telecom" })");
    for (const char* sector : {"government", "finance", "health", "telecom", "water", "energy"}) {
      out_.item(first);
      out_.f(R"(  { "id": "ncsc-%s", "name": "National CSIRT for %s", "country": "EU", "sector": "%s" })", sector,
             sector, sector);
    }
    for (const auto& s : w_.sites) {
      out_.item(first);
      out_.f(R"(  { "id": "org-%s", "name": "%s %s", "country": "EU", "sector": "%s" })", s.id.c_str(),
             info(s.kind).label, s.id.c_str(), info(s.kind).sector);
    }
    out_.raw("\n],\n");
  }

  void teams()
  {
    out_.raw("\"teams\": [\n");
    bool first = true;
    const std::pair<const char*, std::vector<SiteKind>> sector_teams[] = {
        {"government", {SiteKind::government}}, {"finance", {SiteKind::finance}},
        {"health", {SiteKind::health}},         {"telecom", {SiteKind::telecom}},
        {"water", {SiteKind::water}},           {"energy", {SiteKind::energy_it, SiteKind::energy_ot}},
    };
    for (const auto& [sector, kinds] : sector_teams) {
      out_.item(first);
      out_.f(R"(  { "id": "%s", "name": "National CSIRT for %s", "organisation": "ncsc-%s", "role": "player", )"
             "\"assets\": [",
             info(kinds.front()).team, sector, sector);
      bool any = false;
      for (SiteKind k : kinds) {
        if (any)
          out_.raw(", ");
        site_selectors(k, "");
        any = true;
      }
      out_.raw("] }");
      ++sum_.teams;
    }
    out_.item(first);
    out_.raw(R"(  { "id": "white-cell", "name": "White Cell", "organisation": "control", "role": "white_cell" })");
    out_.item(first);
    out_.raw(R"(  { "id": "evaluators", "name": "Evaluators", "organisation": "control", "role": "evaluator" })");
    sum_.teams += 2;
    out_.raw("\n],\n");
  }

  void sites()
  {
    out_.raw("\"sites\": [\n");
    bool first = true;
    out_.item(first);
    out_.raw(R"(  { "id": "internet", "name": "Internet", "organisation": "carrier", "sector": "telecom" })");
    out_.item(first);
    out_.raw(R"(  { "id": "backbone", "name": "National backbone", "organisation": "carrier", "sector": "telecom" })");
    for (const auto& s : w_.sites) {
      out_.item(first);
      out_.f(R"(  { "id": "%s", "name": "%s %s", "organisation": "org-%s", "sector": "%s", )"
             R"("location": { "lat": %.4f, "lon": %.4f })",
             s.id.c_str(), info(s.kind).label, s.id.c_str(), s.id.c_str(), info(s.kind).sector, s.lat, s.lon);
      if (s.kind == SiteKind::energy_ot || s.kind == SiteKind::water)
        out_.raw(R"(, "zones": [ { "id": "ops", "purdue": 3 }, { "id": "control", "purdue": 2 }, )"
                 R"({ "id": "field", "purdue": 1 } ])");
      out_.raw(" }");
    }
    out_.raw("\n],\n");
  }

  // One node line: id, site, kind, then optional extras (a pre-formatted tail starting with ", ").
  void node(bool& first, const std::string& site_id, const char* suffix, const char* kind, const std::string& uplink,
            const std::string& tail = {})
  {
    out_.item(first);
    out_.f(R"(  { "id": "%s-%s", "site": "%s", "kind": "%s")", site_id.c_str(), suffix, site_id.c_str(), kind);
    if (!uplink.empty())
      out_.f(R"(, "uplink": "%s")", uplink.c_str());
    out_.raw(tail);
    out_.raw(" }");
  }

  void nodes()
  {
    out_.raw("\"nodes\": [\n");
    bool first = true;
    for (int r = 0; r < w_.backbone_routers; ++r) {
      out_.item(first);
      out_.f(R"(  { "id": "%s", "site": "backbone", "kind": "router", "criticality": "critical" })",
             backbone_id(r).c_str());
    }
    out_.item(first);
    out_.raw(
        R"(  { "id": "inet", "site": "internet", "kind": "internet", "uplink": "bb-001", "uplink_bandwidth": "100Gbps" })");
    out_.item(first);
    out_.raw(
        R"(  { "id": "c2", "site": "internet", "kind": "attacker", "uplink": "inet", "uplink_bandwidth": "100Mbps" })");
    out_.item(first);
    out_.raw(
        R"(  { "id": "c2-ransom", "site": "internet", "kind": "attacker", "uplink": "inet", "uplink_bandwidth": "100Mbps" })");
    for (int i = 0; i < BOT_GATEWAYS; ++i) {
      out_.item(first);
      out_.f(R"(  { "id": "bot-gw-%d", "site": "internet", "kind": "router", "uplink": "%s", )"
             R"("uplink_bandwidth": "10Gbps" })",
             i + 1, backbone_id((i * w_.backbone_routers) / BOT_GATEWAYS).c_str());
    }
    for (int i = 0; i < MONITORS; ++i) {
      out_.item(first);
      out_.f(R"(  { "id": "mon-%d", "site": "internet", "kind": "server", "uplink": "%s" })", i + 1,
             backbone_id((i * w_.backbone_routers) / MONITORS).c_str());
    }
    for (const auto& s : w_.sites)
      site_nodes(first, s);
    out_.raw("\n],\n");
  }

  void site_nodes(bool& first, const SiteInfo& s)
  {
    const std::string& id = s.id;
    const std::string fw = id + "-fw";
    const std::string sw = id + "-sw";
    const std::string gateway_tail = ", \"uplink_bandwidth\": \"" +
                                     std::string(s.kind == SiteKind::telecom ? "10Gbps" : "1Gbps") +
                                     "\", \"criticality\": \"high\"";
    const std::string bb = backbone_id(s.backbone);
    const std::string admin = ", \"credentials\": [\"" + id + "-admin\"]";
    const std::string ws_sw = s.kind == SiteKind::telecom ? id + "-sw" : sw;
    switch (s.kind) {
    case SiteKind::government:
      node(first, id, "fw", "firewall", bb, gateway_tail);
      node(first, id, "sw", "switch", fw);
      node(first, id, "web", "web_server", fw);
      node(first, id, "mail", "mail_server", fw);
      node(first, id, "dc", "domain_controller", sw, admin + ", \"criticality\": \"critical\"");
      node(first, id, "fs", "file_server", sw, admin + ", \"criticality\": \"high\"");
      break;
    case SiteKind::finance:
      node(first, id, "fw", "firewall", bb, gateway_tail);
      node(first, id, "sw", "switch", fw);
      node(first, id, "web", "web_server", fw, ", \"criticality\": \"critical\"");
      node(first, id, "db", "database", sw, admin + ", \"criticality\": \"critical\"");
      node(first, id, "dc", "domain_controller", sw, admin);
      break;
    case SiteKind::health:
      node(first, id, "fw", "firewall", bb, gateway_tail);
      node(first, id, "sw", "switch", fw);
      node(first, id, "db", "database", sw, admin + ", \"criticality\": \"critical\"");
      node(first, id, "web", "web_server", fw);
      break;
    case SiteKind::telecom:
      node(first, id, "core", "router", bb, gateway_tail);
      node(first, id, "dns", "dns_server", id + "-core", ", \"criticality\": \"critical\"");
      node(first, id, "sw", "switch", id + "-core");
      break;
    case SiteKind::water:
      node(first, id, "fw", "firewall", bb, gateway_tail + ", \"zone\": \"ops\"");
      node(first, id, "sw", "switch", fw, ", \"zone\": \"ops\"");
      node(first, id, "scada", "scada_server", fw, ", \"zone\": \"ops\"");
      node(first, id, "hmi", "hmi", id + "-scada", ", \"zone\": \"control\", \"controls\": [\"" + id + "-pump\"]");
      node(first, id, "plc", "plc", id + "-hmi", ", \"zone\": \"field\", \"controls\": [\"" + id + "-pump\"]");
      {
        char tail[128];
        std::snprintf(tail, sizeof tail, R"(, "zone": "field", "load": "%lldMW")",
                      static_cast<long long>(2 + s.consumers / 50000));
        node(first, id, "pump", "pumping_station", id + "-plc", tail);
      }
      break;
    case SiteKind::energy_it:
      node(first, id, "fw", "firewall", bb, gateway_tail);
      node(first, id, "sw", "switch", fw);
      node(first, id, "web", "web_server", fw);
      node(first, id, "mail", "mail_server", fw);
      node(first, id, "dc", "domain_controller", sw, admin);
      break;
    case SiteKind::energy_ot: {
      const std::string grid = grid_id(s.region);
      node(first, id, "fw", "firewall", bb, gateway_tail + ", \"zone\": \"ops\"");
      node(first, id, "sw", "switch", fw, ", \"zone\": \"ops\"");
      node(first, id, "hist", "historian", fw, ", \"zone\": \"ops\"");
      node(first, id, "ews", "engineering_workstation", fw,
           ", \"zone\": \"control\", \"credentials\": [\"" + id + "-eng\"]");
      node(first, id, "hmi", "hmi", fw,
           ", \"zone\": \"control\", \"controls\": [\"" + id + "-gen-1\", \"" + id + "-gen-2\"]");
      node(first, id, "plc", "plc", id + "-ews",
           ", \"zone\": \"field\", \"criticality\": \"critical\", \"controls\": [\"" + id + "-gen-1\", \"" + id +
               "-gen-2\"]");
      char tail[192];
      for (int g = 0; g < 2; ++g) {
        std::snprintf(tail, sizeof tail, R"(, "zone": "field", "capacity": "%dMW", "grid": "%s")",
                      s.gen_mw[static_cast<std::size_t>(g)], grid.c_str());
        const std::string suffix = "gen-" + std::to_string(g + 1);
        node(first, id, suffix.c_str(), "generation_unit", id + "-plc", tail);
      }
      for (int i = 0; i < SUBSTATIONS_PER_PLANT; ++i) {
        const auto k = static_cast<std::size_t>(i);
        std::snprintf(tail, sizeof tail,
                      R"(, "zone": "field", "load": "%dMW", "customers": %lld, "grid": "%s", "shed_priority": %d)",
                      s.sub_mw[k], static_cast<long long>(s.customers[k]), grid.c_str(), i + 1);
        const std::string suffix = "sub-" + std::to_string(i + 1);
        node(first, id, suffix.c_str(), "substation", id + "-hmi", tail);
      }
      break;
    }
    }
    workstations(first, s, ws_sw);
  }

  void workstations(bool& first, const SiteInfo& s, const std::string& uplink)
  {
    out_.item(first);
    out_.f(R"(  { "id": "%s-ws", )", s.id.c_str());
    if (s.workstations > 1)
      out_.f(R"("count": %lld, )", static_cast<long long>(s.workstations));
    out_.f(R"("site": "%s", "kind": "workstation", "uplink": "%s", "software": ["windows-10", "office-2019"], )"
           R"("credentials": ["%s-user"], "vulnerabilities": [ { "id": "CVE-2023-23397", )"
           R"("techniques": ["T1566.001", "T1068"] } ] })",
           s.id.c_str(), uplink.c_str(), s.id.c_str());
  }

  void links()
  {
    out_.raw("\"links\": [\n");
    bool first = true;
    const int n = w_.backbone_routers;
    auto link = [&](int a, int b, const char* bandwidth, const char* latency) {
      out_.item(first);
      out_.f(R"(  { "id": "bb-link-%s-%s", "a": "%s", "b": "%s", "bandwidth": "%s", "latency": "%s" })",
             backbone_id(a).c_str() + 3, backbone_id(b).c_str() + 3, backbone_id(a).c_str(), backbone_id(b).c_str(),
             bandwidth, latency);
      ++sum_.links;
    };
    for (int i = 0; i < n; ++i) // a ring ...
      link(i, (i + 1) % n, "100Gbps", "3ms");
    for (int i = 0; i + n / 2 < n && i < n / 2; i += 2) // ... with chords across it
      link(i, i + n / 2, "40Gbps", "6ms");
    out_.raw("\n],\n");
  }

  void grids()
  {
    out_.raw("\"grids\": [\n");
    std::vector<std::int64_t> capacity(static_cast<std::size_t>(w_.regions), 0);
    for (int i : w_.by_kind[static_cast<std::size_t>(SiteKind::energy_ot)]) {
      const auto& s = w_.sites[static_cast<std::size_t>(i)];
      capacity[static_cast<std::size_t>(s.region)] += s.gen_mw[0] + s.gen_mw[1];
    }
    bool first = true;
    for (int r = 0; r < w_.regions; ++r) {
      out_.item(first);
      out_.f(R"(  { "id": "%s", "name": "Regional grid %d", "frequency": "50Hz", "reserve": "%lldMW" })",
             grid_id(r).c_str(), r + 1, static_cast<long long>(capacity[static_cast<std::size_t>(r)] / 20));
    }
    out_.raw("\n],\n");
  }

  static const char* service_suffix(SiteKind k)
  {
    switch (k) {
    case SiteKind::government:
      return "portal";
    case SiteKind::finance:
      return "banking";
    case SiteKind::health:
      return "records";
    case SiteKind::telecom:
      return "dns";
    case SiteKind::water:
      return "supply";
    case SiteKind::energy_it:
      return "customer-portal";
    case SiteKind::energy_ot:
      return "power";
    }
    return "service";
  }
  static const char* service_node(SiteKind k)
  {
    switch (k) {
    case SiteKind::health:
      return "db";
    case SiteKind::telecom:
      return "dns";
    case SiteKind::water:
      return "pump";
    case SiteKind::energy_ot:
      return "sub-1";
    default:
      return "web";
    }
  }
  std::string service_id(const SiteInfo& s) const { return s.id + "-" + service_suffix(s.kind); }

  void services()
  {
    out_.raw("\"services\": [\n");
    const auto total = static_cast<std::int64_t>(w_.sites.size());
    const std::int64_t step = std::max<std::int64_t>(1, (total + PROBE_TARGET - 1) / PROBE_TARGET);
    bool first = true;
    std::int64_t i = 0;
    for (const auto& s : w_.sites) {
      out_.item(first);
      out_.f(R"(  { "id": "%s", "name": "%s %s", "node": "%s-%s", "sector": "%s", "consumers": %lld)",
             service_id(s).c_str(), s.id.c_str(), service_suffix(s.kind), s.id.c_str(), service_node(s.kind),
             info(s.kind).sector, static_cast<long long>(s.consumers));
      if (i % step == 0) {
        out_.f(R"(, "probe": { "from": "mon-%lld", "interval": "5m", "timeout": "5s", "degraded_latency": "500ms", )"
               R"("request": "1kB", "response": "50kB" })",
               static_cast<long long>(sum_.probes % MONITORS + 1));
        ++sum_.probes;
      }
      out_.raw(" }");
      ++i;
    }
    sum_.services = total;
    out_.raw("\n],\n");
  }

  void dependency(bool& first, const std::string& id, const std::string& dependent, const std::string& on,
                  const char* backup_kind, const std::string& backup_duration, const char* why)
  {
    out_.item(first);
    out_.f(R"(  { "id": "%s", "dependent": "%s", "on": "%s")", id.c_str(), dependent.c_str(), on.c_str());
    if (backup_kind)
      out_.f(R"(, "backup": { "kind": "%s", "duration": "%s" })", backup_kind, backup_duration.c_str());
    out_.f(R"(, "description": "%s" })", why);
    ++sum_.dependencies;
  }

  void dependencies()
  {
    out_.raw("\"dependencies\": [\n");
    Rng rng(o_.seed, "dependencies");
    bool first = true;
    for (std::size_t i = 0; i < w_.sites.size(); ++i) {
      const auto& s = w_.sites[i];
      const std::string svc = "service:" + service_id(s);
      const std::string grid = "grid:" + grid_id(s.region);
      const std::string dns = "service:" + service_id(telecom_for(s.region));
      const std::string h = std::to_string(rng.between(1, 8)) + "h";
      switch (s.kind) {
      case SiteKind::government:
        dependency(first, s.id + "-needs-dns", svc, dns, nullptr, {},
                   "The portal is reached through the operator's DNS.");
        dependency(first, s.id + "-needs-power", svc, grid, "generator", h, "Diesel generator on site.");
        break;
      case SiteKind::finance:
        dependency(first, s.id + "-needs-dns", svc, dns, "redundant-link", "1h", "Secondary DNS provider for an hour.");
        dependency(first, s.id + "-needs-power", svc, grid, "battery", std::to_string(rng.between(1, 4) * 15) + "m",
                   "UPS in the data centre.");
        break;
      case SiteKind::health:
        dependency(first, s.id + "-needs-power", svc, grid, "generator", "24h", "Hospital generators.");
        dependency(first, s.id + "-needs-dns", svc, dns, "manual", "4h", "Paper records for a few hours.");
        break;
      case SiteKind::telecom:
        dependency(first, s.id + "-needs-power", svc, grid, "battery", "4h", "Exchange batteries.");
        break;
      case SiteKind::water: {
        const SiteInfo& plant = plant_for(s.region, i);
        dependency(first, s.id + "-needs-power", svc, "node:" + plant.id + "-sub-" + std::to_string(i % 3 + 1),
                   "generator", h, "The pumps are fed by a substation; a diesel generator takes over.");
        dependency(first, s.id + "-needs-scada", svc, "node:" + s.id + "-scada", "manual", "12h",
                   "Operators can run the pumps by hand for a shift.");
        break;
      }
      case SiteKind::energy_it:
        dependency(first, s.id + "-needs-power", svc, grid, nullptr, {}, "No backup power for the customer portal.");
        break;
      case SiteKind::energy_ot:
        dependency(first, s.id + "-gen-needs-hmi", "node:" + s.id + "-gen-2", "node:" + s.id + "-hmi", nullptr, {},
                   "Unit 2 is dispatched from the HMI.");
        dependency(first, s.id + "-scada-needs-telecom", "node:" + s.id + "-hmi", dns, "redundant-link", "2h",
                   "SCADA telemetry rides on the operator's network.");
        break;
      }
    }
    out_.raw("\n],\n");
  }

  void indicators()
  {
    out_.raw("\"indicators\": [\n"
             R"(  { "id": "ioc-mail", "type": "email", "value": "hr-benefits@payroll-update.example" },)"
             "\n"
             R"(  { "id": "ioc-hash", "type": "hash", "value": "9e107d9d372bb6826bd81d3542a419d6" },)"
             "\n"
             R"(  { "id": "ioc-c2", "type": "domain", "value": "cdn-telemetry.example.net" },)"
             "\n"
             R"(  { "id": "ioc-ransom", "type": "domain", "value": "keys.locker.example.org" },)"
             "\n"
             R"(  { "id": "ioc-bots", "type": "ip", "value": "203.0.113.0/24" })"
             "\n],\n");
  }

  void adversary()
  {
    Rng rng(o_.seed, "adversary");
    const double d = o_.duration;
    const auto& gov = site(SiteKind::government, static_cast<std::size_t>(rng.below(1 << 20)));
    const auto& util = site(SiteKind::energy_it, static_cast<std::size_t>(rng.below(1 << 20)));
    const auto& plant = site(SiteKind::energy_ot, static_cast<std::size_t>(rng.below(1 << 20)));
    const auto& hosp = site(SiteKind::health, static_cast<std::size_t>(rng.below(1 << 20)));
    const auto& bank = site(SiteKind::finance, static_cast<std::size_t>(rng.below(1 << 20)));
    apt_site_ = gov.id;
    plant_site_ = plant.id;
    bank_service_ = service_id(bank);
    out_.raw("\"adversary\": {\n\"campaigns\": [\n");
    const char* g = gov.id.c_str();
    out_.f(R"(  { "id": "apt-docs", "name": "Operation Quiet Archive", "actor": "APT 'Grey Heron'", "start": "%s",)"
           "\n",
           minutes(d * 0.02).c_str());
    out_.f(R"(    "c2": { "node": "c2", "beacon_interval": "5m", "beacon_size": "2kB", "indicators": ["ioc-c2"] },)"
           "\n"
           R"(    "entry": ["site:%s kind:workstation"], "goals": ["node:%s-fs"],)"
           "\n    \"steps\": [\n",
           g, g);
    out_.f(
        R"(      { "id": "phish", "technique": "T1566.001", "source": "external", "target": "site:%s kind:workstation", )"
        R"("duration": "20m", "probability": 0.8, "effect": "compromise", "privilege": "user", )"
        R"("indicators": ["ioc-mail", "ioc-hash"], "requires": { "vulnerability": true }, "retries": 2 },)"
        "\n",
        g);
    out_.f(
        R"(      { "id": "escalate", "technique": "T1068", "target": "site:%s kind:workstation", )"
        R"("duration": { "uniform": ["10m", "30m"] }, "probability": 0.9, "effect": "escalate", "privilege": "admin", )"
        R"("requires": { "access": "user", "steps": ["phish"], "vulnerability": true } },)"
        "\n",
        g);
    out_.f(
        R"(      { "id": "dump", "technique": "T1003.001", "target": "site:%s kind:workstation", "duration": "15m", )"
        R"("probability": 0.9, "effect": "credential", "credentials": ["%s-admin"], "requires": { "access": "admin" } },)"
        "\n",
        g, g);
    out_.f(R"(      { "id": "lateral", "technique": "T1021.002", "protocol": "smb", "target": "node:%s-fs", )"
           R"("duration": { "triangular": ["10m", "20m", "1h"] }, "probability": 0.95, "effect": "compromise", )"
           R"("privilege": "admin", "requires": { "credentials": ["%s-admin"] } },)"
           "\n",
           g, g);
    out_.f(
        R"(      { "id": "exfil", "technique": "T1041", "source": "node:%s-fs", "target": "node:%s-fs", "duration": "1m", )"
        R"("effect": "exfiltrate", "exfiltrate": "2GB", "indicators": ["ioc-c2"] })"
        "\n    ] },\n",
        g, g);
    const char* u = util.id.c_str();
    const char* p = plant.id.c_str();
    out_.f(R"(  { "id": "grid-attack", "name": "Operation Dark Winter", "actor": "APT 'Grey Heron'", "start": "%s",)"
           "\n",
           minutes(d * 0.1).c_str());
    out_.f(R"(    "c2": { "node": "c2", "beacon_interval": "10m", "indicators": ["ioc-c2"] },)"
           "\n"
           R"(    "entry": ["site:%s kind:workstation"], "goals": ["node:%s-plc"],)"
           "\n    \"steps\": [\n",
           u, p);
    out_.f(
        R"(      { "id": "phish", "technique": "T1566.001", "source": "external", "target": "site:%s kind:workstation", )"
        R"("duration": "1h", "probability": 0.7, "effect": "compromise", "requires": { "vulnerability": true }, )"
        R"("indicators": ["ioc-mail"], "retries": 3 },)"
        "\n",
        u);
    out_.f(
        R"(      { "id": "rdp", "technique": "T1021.001", "protocol": "rdp", "target": "node:%s-ews", )"
        R"("duration": { "lognormal": { "median": "2h", "sigma": 0.3 } }, "probability": 0.8, "effect": "compromise", )"
        R"("privilege": "admin", "requires": { "steps": ["phish"] } },)"
        "\n",
        p);
    out_.f(R"(      { "id": "command", "technique": "T0855", "protocol": "modbus", "target": "node:%s-plc", )"
           R"("duration": "5m", "probability": 0.9, "effect": "trip", "requires": { "access": "admin" } })"
           "\n    ] },\n",
           p);
    const char* h = hosp.id.c_str();
    out_.f(R"(  { "id": "ransom", "name": "Hospital ransomware", "actor": "Criminal group 'Lockjaw'", "start": "%s",)"
           "\n",
           minutes(d * 0.3).c_str());
    out_.f(R"(    "c2": { "node": "c2-ransom", "beacon_interval": "15m", "indicators": ["ioc-ransom"] },)"
           "\n"
           R"(    "entry": ["site:%s kind:workstation"], "goals": ["node:%s-db"],)"
           "\n    \"steps\": [\n",
           h, h);
    out_.f(
        R"(      { "id": "phish", "technique": "T1566.001", "source": "external", "target": "site:%s kind:workstation", )"
        R"("duration": "30m", "probability": 0.6, "effect": "compromise", "requires": { "vulnerability": true }, )"
        R"("retries": 4 },)"
        "\n",
        h);
    out_.f(
        R"(      { "id": "encrypt", "technique": "T1486", "target": "node:%s-db", "duration": "45m", "probability": 0.9, )"
        R"("effect": "encrypt", "requires": { "steps": ["phish"] }, "indicators": ["ioc-ransom"] })"
        "\n    ] }\n],\n",
        h);
    sum_.campaigns = 3;
    out_.f(R"("botnets": [ { "id": "ddos", "name": "Hacktivist botnet", "size": 20000, "bot_bandwidth": "1Mbps", )"
           R"("attach": ["bot-gw-1", "bot-gw-2", "bot-gw-3"], "target": "service:%s", "indicators": ["ioc-bots"], )"
           R"("schedule": [ { "start": "%s", "end": "%s" }, { "start": "%s", "end": "%s", "intensity": 0.5 } ] } ])"
           "\n},\n",
           service_id(bank).c_str(), minutes(d * 0.25).c_str(), minutes(d * 0.3).c_str(), minutes(d * 0.6).c_str(),
           minutes(d * 0.65).c_str());
  }

  void sensor(bool& first, const char* id, const char* name, const char* team, const char* kind, SiteKind k,
              const char* extra, const char* detects, double probability, const char* delay, int fp_per_day)
  {
    out_.item(first);
    out_.f(R"(  { "id": "%s", "name": "%s", "team": "%s", "kind": "%s", "covers": [)", id, name, team, kind);
    site_selectors(k, extra);
    out_.f(R"(], "detects": [%s], "probability": %.2f, "delay": "%s", "false_positives_per_day": %d })", detects,
           probability, delay, fp_per_day);
    ++sum_.sensors;
  }

  void sensors()
  {
    out_.raw("\"sensors\": [\n");
    bool first = true;
    const char* net = R"("exfiltration", "command-and-control", "lateral-movement")";
    const char* endpoint = R"("initial-access", "privilege-escalation", "credential-access", "impact")";
    sensor(first, "gov-ids", "Government network IDS", "csirt-gov", "ids", SiteKind::government, "", net, 0.5, "15m",
           2);
    sensor(first, "gov-edr", "Government endpoint detection", "csirt-gov", "edr", SiteKind::government,
           " kind:workstation", endpoint, 0.3, "10m", 5);
    sensor(first, "fin-netflow", "Bank netflow monitoring", "csirt-finance", "netflow", SiteKind::finance, "", net, 0.6,
           "5m", 1);
    sensor(first, "health-av", "Hospital antivirus", "csirt-health", "av", SiteKind::health, " kind:workstation",
           endpoint, 0.4, "30m", 3);
    sensor(first, "tel-ids", "Operator IDS", "csirt-telecom", "ids", SiteKind::telecom, "", net, 0.5, "10m", 1);
    sensor(first, "water-ics", "Water ICS monitor", "csirt-water", "ics-monitor", SiteKind::water, "",
           R"("impair-process-control", "lateral-movement")", 0.7, "5m", 0);
    sensor(first, "util-edr", "Utility endpoint detection", "csirt-energy", "edr", SiteKind::energy_it,
           " kind:workstation", endpoint, 0.4, "10m", 2);
    sensor(first, "plant-ics", "Power plant ICS monitor", "csirt-energy", "ics-monitor", SiteKind::energy_ot, "",
           R"("impair-process-control", "lateral-movement", "T0855")", 0.9, "5m", 0);
    out_.raw("\n],\n");
  }

  void msel()
  {
    const double d = o_.duration;
    const char* all = R"("csirt-gov", "csirt-finance", "csirt-health", "csirt-telecom", "csirt-water", "csirt-energy")";
    out_.raw("\"msel\": [\n");
    out_.f(
        R"(  { "id": "inj-01", "move": "move-1", "time": "%s", "type": "information", "channel": "intelligence-report", )"
        R"("from": "National intelligence", "to": [%s], "title": "Heightened threat level", )"
        R"("content": "A state actor is preparing operations against critical infrastructure." },)"
        "\n",
        minutes(d * 0.01).c_str(), all);
    out_.f(
        R"(  { "id": "inj-02", "trigger": { "exfiltrated_over": "100MB", "campaign": "apt-docs" }, "delay": "5m", )"
        R"("channel": "intelligence-report", "from": "Partner service", "to": ["csirt-gov"], )"
        R"("title": "Agency documents offered online", "content": "Documents from %s are traded on a forum.", )"
        R"("expectations": [ { "id": "exp-contain", "team": "csirt-gov", "description": "Isolate the file server.", )"
        R"("within": "30m", "objective": "obj-contain", "critical_task": "ct-isolate", )"
        R"("met_by": { "action": "isolate", "team": "csirt-gov", "target": "node:%s-fs" }, "contingency": "inj-03" } ] },)"
        "\n",
        apt_site_.c_str(), apt_site_.c_str());
    out_.raw(
        R"(  { "id": "inj-03", "type": "contingency", "channel": "phone", "from": "White Cell", "to": ["csirt-gov"], )"
        R"("title": "Leak keeps growing", "content": "More documents appear; the source is still connected." },)"
        "\n");
    out_.f(R"(  { "id": "inj-04", "trigger": { "%s": "node:%s-plc" }, "hidden": true, "type": "facilitation", )"
           R"("channel": "controller-note", "from": "Exercise Control", "to": ["white-cell"], "title": "PLC reached", )"
           R"("content": "The adversary controls the plant's PLC; expect a trip." },)"
           "\n",
           to_string(RecordType::node_compromised), plant_site_.c_str());
    out_.f(
        R"(  { "id": "inj-05", "trigger": { "service_down": "%s" }, "channel": "social-media", "from": "Customers", )"
        R"("to": ["csirt-finance"], "expires": "2h", "title": "Online banking unreachable", )"
        R"("content": "Customers complain that online banking does not load." },)"
        "\n",
        bank_service_.c_str());
    out_.f(
        R"(  { "id": "inj-06", "move": "move-1", "time": "%s", "channel": "email", "from": "Government crisis cell", )"
        R"("to": [%s], "title": "Situation report requested", "content": "Report your sector's status." })"
        "\n],\n",
        minutes(d * 0.5).c_str(), all);
    sum_.injects = 6;
  }

  void actions()
  {
    out_.raw(R"("actions": [
  { "type": "isolate", "duration": "5m" }, { "type": "reconnect", "duration": "5m" },
  { "type": "block", "duration": "10m" }, { "type": "patch", "duration": "30m" },
  { "type": "reset_credentials", "duration": "20m" }, { "type": "restore", "duration": "10m", "offline": "2h" },
  { "type": "manual_operations", "duration": "15m", "capacity": 0.6 }, { "type": "shutdown_service", "duration": "2m" },
  { "type": "restore_service", "duration": "5m" }, { "type": "share", "duration": "0s" },
  { "type": "report", "duration": "0s" }, { "type": "communicate", "duration": "0s" }
],
)");
  }

  void objectives()
  {
    out_.raw(R"("capabilities": [
  { "id": "cap-respond", "name": "Incident response and containment",
    "critical_tasks": [ { "id": "ct-isolate", "description": "Isolate compromised hosts." } ] },
  { "id": "cap-detect", "name": "Cyber incident detection",
    "critical_tasks": [ { "id": "ct-detect", "description": "Detect intrusions from sensor alerts." } ] }
],
"objectives": [
  { "id": "obj-contain", "title": "Contain the exfiltration", "capability": "cap-respond",
    "critical_tasks": ["ct-isolate"], "metrics": ["time_to_contain", "data_exfiltrated"], "weight": 2 },
  { "id": "obj-detect", "title": "Detect the intrusions", "capability": "cap-detect",
    "critical_tasks": ["ct-detect"], "metrics": ["time_to_detect"] }
]
)");
  }

  const GenerateOptions& o_;
  World w_;
  Writer out_;
  GenerateSummary sum_;
  std::string apt_site_;
  std::string plant_site_;
  std::string bank_service_;
};

} // namespace

std::string check_generate_options(const GenerateOptions& o)
{
  if (o.sites < SITE_KINDS)
    return "--sites must be at least " + std::to_string(SITE_KINDS) + " (one per kind of site), got " +
           std::to_string(o.sites);
  if (o.sites > 1000000)
    return "--sites must be at most 1000000, got " + std::to_string(o.sites);
  if (!(o.duration >= 60) || o.duration > 366.0 * 86400)
    return "--duration must be between 1m and 366d";
  const std::int64_t need = fixed_nodes_for(kind_counts(o.sites), o.sites) + o.sites;
  if (o.nodes < need)
    return "--nodes must be at least " + std::to_string(need) + " for " + std::to_string(o.sites) + " sites, got " +
           std::to_string(o.nodes);
  if (o.nodes > 100000000)
    return "--nodes must be at most 100000000, got " + std::to_string(o.nodes);
  return {};
}

GenerateSummary generate_scenario(const GenerateOptions& options, std::ostream& out)
{
  if (const std::string problem = check_generate_options(options); !problem.empty())
    throw std::invalid_argument(problem);
  Generator g(options, out);
  return g.run();
}

} // namespace cyberex

/* First pass of the loader: JSON to model entities, one file at a time. Checks here are local to one value
 * (types, units, ranges, enum names, unknown keys); everything that needs the whole scenario is in resolve.cpp. */
#include "loader.hpp"

#include <algorithm>
#include <climits>
#include <cmath>
#include <cstdint>

namespace cyberex::scenario_impl {
namespace {

using Q = units::Quantity;

bool is_digits(const std::string& s, std::size_t pos, std::size_t n)
{
  if (pos + n > s.size())
    return false;
  for (std::size_t i = pos; i < pos + n; ++i)
    if (s[i] < '0' || s[i] > '9')
      return false;
  return true;
}

/// A campaign's "mode" (read here only: no other part spells it).
std::optional<CampaignMode> campaign_mode_from_string(const std::string& s)
{
  if (s == "random")
    return CampaignMode::random;
  if (s == "scripted")
    return CampaignMode::scripted;
  return std::nullopt;
}

/// "2011-11-03T09:00:00" or "2011-11-03T09:00".
bool is_local_date_time(const std::string& s)
{
  if (s.size() != 16 && s.size() != 19)
    return false;
  if (!is_digits(s, 0, 4) || s[4] != '-' || !is_digits(s, 5, 2) || s[7] != '-' || !is_digits(s, 8, 2) || s[10] != 'T' ||
      !is_digits(s, 11, 2) || s[13] != ':' || !is_digits(s, 14, 2))
    return false;
  if (s.size() == 19 && (s[16] != ':' || !is_digits(s, 17, 2)))
    return false;
  const int month = std::stoi(s.substr(5, 2));
  const int day = std::stoi(s.substr(8, 2));
  const int hour = std::stoi(s.substr(11, 2));
  const int minute = std::stoi(s.substr(14, 2));
  const int second = s.size() == 19 ? std::stoi(s.substr(17, 2)) : 0;
  return month >= 1 && month <= 12 && day >= 1 && day <= 31 && hour <= 23 && minute <= 59 && second <= 59;
}

/// "a substation", "an hmi": a kind named in a sentence.
std::string a_kind(NodeKind k)
{
  const std::string name = to_string(k);
  return (name.find_first_of("aeiou") == 0 || name == "hmi" ? "an " : "a ") + name;
}

/// A country code: two capital letters (ISO 3166-1 alpha-2, or "EU") or "INT"; anything else is a warning, since
/// reports and maps compare codes as written.
void country(Reader& r, std::string& out)
{
  if (!r.string("country", out) || out.empty())
    return;
  const auto upper = [](std::string s) {
    for (char& c : s)
      if (c >= 'a' && c <= 'z')
        c = static_cast<char>(c - 'a' + 'A');
    return s;
  };
  const auto is_code = [](const std::string& s) {
    return s == "INT" || (s.size() == 2 && s[0] >= 'A' && s[0] <= 'Z' && s[1] >= 'A' && s[1] <= 'Z');
  };
  if (is_code(out))
    return;
  if (is_code(upper(out)))
    r.context().warning(r.file(), r.at("country"), "scenario.country-code",
                        "country code " + quote(out) + " is not in capitals; ISO 3166 codes are written " +
                            quote(upper(out)));
  else
    r.context().warning(r.file(), r.at("country"), "scenario.country-code",
                        "country " + quote(out) +
                            " is not a country code; expected two capital letters (ISO 3166-1 alpha-2) such as "
                            "\"BE\", or \"EU\" or \"INT\"");
}

/// A protocol name, matched without regard to case ("SMB" is "smb"): stored in lower case, warned about when cyberex
/// does not know it (a typo in a firewall rule silently lets the traffic through).
void protocol(Reader& r, std::string& out)
{
  if (!r.string("protocol", out))
    return;
  for (char& c : out)
    if (c >= 'A' && c <= 'Z')
      c = static_cast<char>(c - 'A' + 'a');
  const auto& known = protocol_names();
  if (!std::binary_search(known.begin(), known.end(), out)) {
    std::string list;
    for (const auto& k : known)
      list += (list.empty() ? "" : ", ") + k;
    r.context().warning(r.file(), r.at("protocol"), "scenario.unknown-protocol",
                        "unknown protocol " + quote(out) + suggestion(out, known) + " (known: " + list + ")");
  }
}

void date_time(Reader& r, const std::string& key, std::string& out, bool required = false)
{
  if (r.string(key, out, required) && !is_local_date_time(out)) {
    r.context().error(r.file(), r.at(key), "scenario.bad-value",
                      "expected a local date-time such as \"2011-11-03T09:00:00\"; got \"" + out + "\"");
    out.clear();
  }
}

class SectionReader {
public:
  SectionReader(Context& ctx, int file, Scenario& s, Extras& x) : ctx_(ctx), f_(file), s_(s), x_(x) {}

  Origin origin(const std::string& ptr) const { return Origin{ctx_.files[static_cast<std::size_t>(f_)].doc.path, ptr}; }

  void exercise(const json& v, const std::string& p)
  {
    Reader r(ctx_, f_, v, p);
    if (!r.ok())
      return;
    Exercise& e = s_.exercise;
    r.string("id", e.id);
    r.string("title", e.title, true);
    r.string("description", e.description);
    date_time(r, "start", e.start);
    if (r.string("timezone", e.timezone) && !e.timezone.empty() && !known_time_zone(e.timezone))
      ctx_.warning(f_, r.at("timezone"), "scenario.unknown-time-zone",
                   "no time zone " + quote(e.timezone) + " in the IANA tz database" +
                       suggestion(e.timezone, time_zone_names()) +
                       (did_you_mean(e.timezone, time_zone_names()).empty()
                            ? "; expected a name such as \"Europe/Brussels\" or \"UTC\""
                            : ""));
    if (r.quantity("duration", Q::duration, e.duration, true) && e.duration <= 0)
      ctx_.error(f_, r.at("duration"), "scenario.out-of-range", "the exercise needs a duration longer than 0s");
    std::int64_t seed = 1;
    if (r.integer("seed", seed, 0, INT64_MAX))
      e.seed = static_cast<std::uint64_t>(seed);
    r.each("moves", [&](const json& mv, const std::string& mp) {
      Reader m(ctx_, f_, mv, mp);
      if (!m.ok())
        return;
      Move move;
      m.string("id", move.id, true);
      m.string("title", move.title);
      m.string("description", move.description);
      m.quantity("offset", Q::duration, move.offset, true);
      date_time(m, "situation_time", move.situation_time);
      e.moves.push_back(std::move(move));
    });
  }

  void organisation(const json& v, const std::string& p)
  {
    Reader r(ctx_, f_, v, p);
    if (!r.ok())
      return;
    Organisation o;
    o.origin = origin(p);
    r.string("id", o.id, true);
    r.string("name", o.name);
    country(r, o.country);
    r.string("sector", o.sector);
    s_.organisations.push_back(std::move(o));
  }

  void team(const json& v, const std::string& p)
  {
    Reader r(ctx_, f_, v, p);
    if (!r.ok())
      return;
    Team t;
    t.origin = origin(p);
    r.string("id", t.id, true);
    r.string("name", t.name);
    r.string("organisation", t.organisation);
    r.enumeration("role", t.role, team_role_from_string, team_role_names(), "team role");
    r.strings("assets", t.assets);
    if (t.id.empty())
      return; // reported by the reader; nothing can refer to it
    s_.teams.push_back(std::move(t));
  }

  void site(const json& v, const std::string& p)
  {
    Reader r(ctx_, f_, v, p);
    if (!r.ok())
      return;
    Site site;
    site.origin = origin(p);
    r.string("id", site.id, true);
    r.string("name", site.name);
    r.string("organisation", site.organisation);
    r.string("sector", site.sector);
    country(r, site.country);
    r.location("location", site.location);
    r.quantity("lan_bandwidth", Q::bandwidth, site.lan_bandwidth);
    r.quantity("lan_latency", Q::duration, site.lan_latency);
    r.each("zones", [&](const json& zv, const std::string& zp) {
      Reader z(ctx_, f_, zv, zp);
      if (!z.ok())
        return;
      Zone zone;
      z.string("id", zone.id, true);
      z.string("name", zone.name);
      int purdue = 0;
      if (z.integer("purdue", purdue, 0, 5))
        zone.purdue = purdue;
      site.zones.push_back(std::move(zone));
    });
    if (site.id.empty())
      return; // reported by the reader; nothing can refer to it
    s_.sites.push_back(std::move(site));
  }

  void node(const json& v, const std::string& p)
  {
    Reader r(ctx_, f_, v, p);
    if (!r.ok())
      return;
    Node n;
    n.origin = origin(p);
    r.string("id", n.id, true);
    r.string("name", n.name);
    r.string("site", n.site, true);
    r.string("zone", n.zone);
    const bool kind_known = r.enumeration("kind", n.kind, node_kind_from_string, node_kind_names(), "node kind", true);
    r.strings("software", n.software);
    r.each("vulnerabilities", [&](const json& vv, const std::string& vp) {
      Reader vr(ctx_, f_, vv, vp);
      if (!vr.ok())
        return;
      Vulnerability vul;
      vr.string("id", vul.id, true);
      vr.strings("techniques", vul.techniques);
      vr.probability("exploitability", vul.exploitability);
      n.vulnerabilities.push_back(std::move(vul));
    });
    r.strings("credentials", n.credentials);
    r.enumeration("criticality", n.criticality, criticality_from_string, criticality_names(), "criticality");
    r.strings("tags", n.tags);
    r.location("location", n.location);
    r.quantity("capacity", Q::power, n.capacity_mw);
    r.quantity("load", Q::power, n.load_mw);
    r.integer("customers", n.customers, 0, INT64_MAX);
    r.string("grid", n.grid);
    r.strings("controls", n.controls);
    r.integer("shed_priority", n.shed_priority, 0, 1000000);
    r.string("backup", n.backup);
    bus_ref(r, n.bus);
    double setpoint = 0;
    if (r.quantity("setpoint", Q::power, setpoint))
      n.setpoint_mw = setpoint;
    unit_start(r, v, n, kind_known);
    if (kind_known)
      physical_fields(r, v, n);
    r.number("speed", n.speed, 1, 1e18);
    NodeExtra extra;
    r.string("uplink", extra.uplink);
    double q = 0;
    if (r.quantity("uplink_bandwidth", Q::bandwidth, q))
      extra.uplink_bandwidth = q;
    if (r.quantity("uplink_latency", Q::duration, q))
      extra.uplink_latency = q;
    if ((extra.uplink_bandwidth || extra.uplink_latency) && extra.uplink.empty())
      ctx_.error(f_, r.at(extra.uplink_bandwidth ? "uplink_bandwidth" : "uplink_latency"), "scenario.bad-value",
                 "uplink_bandwidth and uplink_latency need an \"uplink\"");
    std::int64_t count = 0;
    const bool counted = r.integer("count", count, 1, 1000000);
    if (n.id.empty())
      return;
    if (!counted) {
      s_.nodes.push_back(std::move(n));
      x_.nodes.push_back(std::move(extra));
      return;
    }
    for (std::int64_t i = 1; i <= count; ++i) {
      Node copy = n;
      copy.id = n.id + "-" + std::to_string(i);
      s_.nodes.push_back(std::move(copy));
      x_.nodes.push_back(extra);
    }
  }

  /// "start" (hot or cold) and "restart_time" of a generation unit; the time defaults to the start's.
  void unit_start(Reader& r, const json& v, Node& n, bool kind_known)
  {
    std::string start;
    if (r.string("start", start)) {
      if (start == "hot" || start == "cold")
        n.start = start == "hot" ? UnitStart::hot : UnitStart::cold;
      else
        ctx_.error(f_, r.at("start"), "scenario.bad-value",
                   "unknown start " + quote(start) + "; expected \"hot\" or \"cold\"");
    }
    n.restart_time = n.start == UnitStart::hot ? HOT_START_SECONDS : COLD_START_SECONDS;
    r.quantity("restart_time", Q::duration, n.restart_time);
    if (kind_known && n.kind != NodeKind::generation_unit)
      for (const char* key : {"start", "restart_time"})
        if (v.contains(key))
          ctx_.warning(f_, r.at(key), "scenario.ignored",
                       quote(key) + " applies to generation units only; node " + quote(n.id) + " is " + a_kind(n.kind) +
                           ": it is ignored");
  }

  /// Power fields on a node of a kind the engine does not read them for (docs/scenario-format.md, "nodes"): a
  /// substation with "capacity" instead of "load" serves nothing, so the mistake changes the model.
  void physical_fields(Reader& r, const json& v, const Node& n)
  {
    using K = NodeKind;
    struct Field {
      const char* key;
      std::vector<K> kinds;
      const char* applies; ///< "generation units", ...
    };
    static const std::vector<Field> fields{
        {"capacity", {K::generation_unit}, "generation units"},
        {"load", {K::substation, K::pumping_station}, "substations and pumping stations"},
        {"customers", {K::substation}, "substations"},
        {"grid", {K::generation_unit, K::substation}, "generation units and substations"},
        {"shed_priority", {K::substation}, "substations"},
        {"bus", {K::generation_unit, K::substation}, "generation units and substations"},
        {"setpoint", {K::generation_unit}, "generation units"},
    };
    for (const Field& f : fields) {
      if (!v.contains(f.key) || std::find(f.kinds.begin(), f.kinds.end(), n.kind) != f.kinds.end())
        continue;
      std::string hint;
      if (std::string(f.key) == "capacity" && (n.kind == K::substation || n.kind == K::pumping_station))
        hint = std::string("; the power a ") + to_string(n.kind) + " draws is its \"load\"";
      else if (std::string(f.key) == "load" && n.kind == K::generation_unit)
        hint = "; the power a generation unit delivers is its \"capacity\"";
      ctx_.warning(f_, r.at(f.key), "scenario.ignored",
                   quote(f.key) + " applies to " + f.applies + " only; node " + quote(n.id) + " is " + a_kind(n.kind) +
                       ": it is ignored" + hint);
    }
  }

  void link(const json& v, const std::string& p)
  {
    Reader r(ctx_, f_, v, p);
    if (!r.ok())
      return;
    Link l;
    l.origin = origin(p);
    r.string("id", l.id, true);
    r.string("a", l.a, true);
    r.string("b", l.b, true);
    r.quantity("bandwidth", Q::bandwidth, l.bandwidth);
    r.quantity("latency", Q::duration, l.latency);
    r.each("firewall", [&](const json& fv, const std::string& fp) {
      Reader fr(ctx_, f_, fv, fp);
      if (!fr.ok())
        return;
      FirewallRule rule;
      std::string action;
      if (fr.string("action", action, true)) {
        if (action == "allow" || action == "deny")
          rule.action = action == "allow" ? FirewallAction::allow : FirewallAction::deny;
        else
          ctx_.error(f_, fr.at("action"), "scenario.bad-value",
                     "unknown firewall action " + quote(action) + suggestion(action, {"allow", "deny"}));
      }
      protocol(fr, rule.protocol);
      std::string dir;
      if (fr.string("direction", dir)) {
        if (dir == "both")
          rule.direction = FirewallRule::Direction::both;
        else if (dir == "a_to_b")
          rule.direction = FirewallRule::Direction::a_to_b;
        else if (dir == "b_to_a")
          rule.direction = FirewallRule::Direction::b_to_a;
        else
          ctx_.error(f_, fr.at("direction"), "scenario.bad-value",
                     "unknown direction " + quote(dir) + "; expected both, a_to_b or b_to_a" +
                         suggestion(dir, {"both", "a_to_b", "b_to_a"}));
      }
      l.firewall.push_back(std::move(rule));
    });
    s_.links.push_back(std::move(l));
  }

  void service(const json& v, const std::string& p)
  {
    Reader r(ctx_, f_, v, p);
    if (!r.ok())
      return;
    Service sv;
    sv.origin = origin(p);
    r.string("id", sv.id, true);
    r.string("name", sv.name);
    r.string("node", sv.node, true);
    r.string("sector", sv.sector);
    r.integer("consumers", sv.consumers, 0, INT64_MAX);
    if (const json* pv = r.get("probe")) {
      Reader pr(ctx_, f_, *pv, r.at("probe"));
      if (pr.ok()) {
        Probe probe;
        pr.string("from", probe.from, true);
        pr.quantity("interval", Q::duration, probe.interval);
        pr.quantity("timeout", Q::duration, probe.timeout);
        pr.quantity("degraded_latency", Q::duration, probe.degraded_latency);
        pr.quantity("request", Q::data, probe.request_bytes);
        pr.quantity("response", Q::data, probe.response_bytes);
        if (probe.interval <= 0)
          ctx_.error(f_, pr.at("interval"), "scenario.out-of-range", "a probe interval must be longer than 0s");
        sv.probe = probe;
      }
    }
    if (sv.id.empty())
      return; // reported by the reader; nothing can refer to it
    s_.services.push_back(std::move(sv));
  }

  void dependency(const json& v, const std::string& p)
  {
    Reader r(ctx_, f_, v, p);
    if (!r.ok())
      return;
    Dependency d;
    d.origin = origin(p);
    r.string("id", d.id, true);
    r.string("dependent", d.dependent, true);
    r.string("on", d.on, true);
    r.string("description", d.description);
    if (const json* bv = r.get("backup")) {
      Reader br(ctx_, f_, *bv, r.at("backup"));
      if (br.ok()) {
        Backup b;
        br.string("kind", b.kind, true);
        br.quantity("duration", Q::duration, b.duration, true);
        d.backup = b;
      }
    }
    s_.dependencies.push_back(std::move(d));
  }

  void grid(const json& v, const std::string& p)
  {
    Reader r(ctx_, f_, v, p);
    if (!r.ok())
      return;
    Grid g;
    g.origin = origin(p);
    r.string("id", g.id, true);
    r.string("name", g.name);
    r.quantity("frequency", Q::frequency, g.frequency_hz);
    r.quantity("reserve", Q::power, g.reserve_mw);
    r.string("matpower", g.matpower);
    r.each("buses", [&](const json& bv, const std::string& bp) {
      Reader br(ctx_, f_, bv, bp);
      if (!br.ok())
        return;
      GridBus b;
      b.origin = origin(bp);
      br.string("id", b.id, true);
      int number = 0;
      if (br.integer("number", number, 1, 99999999))
        b.number = number;
      std::string type;
      if (br.string("type", type)) {
        if (type == "reference")
          b.reference = true;
        else if (type != "pq" && type != "pv")
          ctx_.error(f_, br.at("type"), "scenario.bad-value",
                     "unknown bus type " + quote(type) + "; expected \"reference\", \"pv\" or \"pq\"");
      }
      double c = 0;
      if (br.number("x", c, -1e9, 1e9))
        b.x = c;
      if (br.number("y", c, -1e9, 1e9))
        b.y = c;
      g.buses.push_back(std::move(b));
    });
    r.each("branches", [&](const json& bv, const std::string& bp) {
      Reader br(ctx_, f_, bv, bp);
      if (!br.ok())
        return;
      GridBranch b;
      b.origin = origin(bp);
      br.string("id", b.id, true);
      bus_ref(br, b.from, "from", true);
      bus_ref(br, b.to, "to", true);
      if (br.number("x", b.x_pu, -1e6, 1e6, true) && b.x_pu == 0)
        ctx_.error(f_, br.at("x"), "scenario.bad-value",
                   "branch " + quote(b.id) + " has zero reactance: the DC power flow needs x != 0 (p.u.)");
      if (br.number("tap", b.tap, 0, 100) && b.tap == 0)
        b.tap = 1; // MATPOWER's convention: 0 is a line, ratio 1
      br.number("shift_deg", b.shift_deg, -360, 360);
      br.quantity("rating", Q::power, b.rating_mw);
      if (const json* pv = br.get("protection")) {
        Reader pr(ctx_, f_, *pv, br.at("protection"));
        if (pr.ok()) {
          if (pr.number("pickup", b.protection.pickup, 0, 100) && !(b.protection.pickup > 0))
            ctx_.error(f_, pr.at("pickup"), "scenario.out-of-range",
                       "expected a pickup above 0 (a multiple of the rating); got 0");
          pr.quantity("time_dial", Q::duration, b.protection.time_dial_s);
        }
      }
      g.branches.push_back(std::move(b));
    });
    s_.grids.push_back(std::move(g));
    x_.grid_files.push_back(f_);
  }

  /// A bus reference: a bus id (string) or the number of an imported bus (integer), kept as text.
  void bus_ref(Reader& r, std::string& out, const char* key = "bus", bool required = false)
  {
    const json* v = r.get(key, required);
    if (!v)
      return;
    if (v->is_number_integer() && v->get<long long>() > 0)
      out = std::to_string(v->get<long long>());
    else if (v->is_string() && !v->get<std::string>().empty())
      out = v->get<std::string>();
    else
      ctx_.error(f_, r.at(key), "scenario.type",
                 "expected a bus id (a string) or the number of an imported bus; got " + describe(*v));
  }

  void topology(const json& v, const std::string& p)
  {
    Reader r(ctx_, f_, v, p);
    if (!r.ok())
      return;
    Topology t;
    t.origin = origin(p);
    r.string("id", t.id, true);
    r.string("file", t.file, true);
    r.string("site", t.site);
    r.quantity("default_bandwidth", Q::bandwidth, t.default_bandwidth);
    r.quantity("default_latency", Q::duration, t.default_latency);
    r.string("prefix", t.prefix);
    country(r, t.country);
    r.location("location", t.location);
    if (t.id.empty())
      return;
    s_.topologies.push_back(std::move(t));
    x_.topology_files.push_back(f_);
  }

  void indicator(const json& v, const std::string& p)
  {
    Reader r(ctx_, f_, v, p);
    if (!r.ok())
      return;
    Indicator i;
    i.origin = origin(p);
    r.string("id", i.id, true);
    r.enumeration("type", i.type, indicator_type_from_string, indicator_type_names(), "indicator type", true);
    r.string("value", i.value, true);
    s_.indicators.push_back(std::move(i));
  }

  void campaign(const json& v, const std::string& p)
  {
    Reader r(ctx_, f_, v, p);
    if (!r.ok())
      return;
    Campaign c;
    c.origin = origin(p);
    r.string("id", c.id, true);
    r.string("name", c.name);
    r.string("actor", c.actor);
    r.string("description", c.description);
    r.enumeration("mode", c.mode, campaign_mode_from_string, {"random", "scripted"}, "campaign mode");
    r.quantity("start", Q::duration, c.start);
    if (const json* cv = r.get("c2")) {
      Reader cr(ctx_, f_, *cv, r.at("c2"));
      if (cr.ok()) {
        cr.string("node", c.c2.node, true);
        cr.quantity("beacon_interval", Q::duration, c.c2.beacon_interval);
        cr.quantity("beacon_size", Q::data, c.c2.beacon_bytes);
        cr.strings("indicators", c.c2.indicators);
        if (c.c2.beacon_interval <= 0)
          ctx_.error(f_, cr.at("beacon_interval"), "scenario.out-of-range", "a beacon interval must be longer than 0s");
      }
    }
    r.strings("entry", c.entry);
    r.strings("goals", c.goals);
    r.each(
        "steps",
        [&](const json& sv, const std::string& sp) {
          Reader sr(ctx_, f_, sv, sp);
          if (!sr.ok())
            return;
          Step st;
          st.origin = origin(sp);
          sr.string("id", st.id, true);
          sr.string("technique", st.technique, true);
          sr.string("tactic", st.tactic);
          protocol(sr, st.protocol);
          sr.string("source", st.source);
          sr.string("target", st.target, true);
          sr.distribution("duration", st.duration, true);
          sr.probability("probability", st.probability);
          if (const json* rv = sr.get("requires")) {
            Reader rr(ctx_, f_, *rv, sr.at("requires"));
            if (rr.ok()) {
              rr.enumeration("access", st.requires_.access, access_from_string, access_names(), "access level");
              rr.strings("credentials", st.requires_.credentials);
              rr.strings("steps", st.requires_.steps);
              rr.boolean("vulnerability", st.requires_.vulnerability);
            }
          }
          sr.enumeration("effect", st.effect, step_effect_from_string, step_effect_names(), "step effect");
          sr.enumeration("privilege", st.privilege, access_from_string, access_names(), "access level");
          sr.strings("credentials", st.credentials);
          sr.quantity("exfiltrate", Q::data, st.exfiltrate_bytes);
          if (sr.string("data", st.data) && st.effect != StepEffect::exfiltrate)
            ctx_.warning(f_, sr.at("data"), "scenario.ignored",
                         "'data' names what an exfiltrate step sends; step " + quote(st.id) + " has effect " +
                             quote(to_string(st.effect)) + ": it is ignored");
          sr.number("derate", st.derate, 0, 1);
          double setpoint = 0;
          if (sr.quantity("setpoint", Q::power, setpoint))
            st.setpoint_mw = setpoint;
          sr.strings("indicators", st.indicators);
          sr.number("detectability", st.detectability, 0, 1000);
          sr.integer("retries", st.retries, 0, 1000);
          sr.integer("max_targets", st.max_targets, 1, 1000000);
          sr.quantity("not_before", Q::inject_time, st.not_before);
          if (const json* rv = sr.get("retry")) {
            Reader rr(ctx_, f_, *rv, sr.at("retry"));
            if (rr.ok()) {
              rr.quantity("until", Q::inject_time, st.retry_until, true);
              if (rr.quantity("interval", Q::duration, st.retry_interval) && st.retry_interval <= 0)
                ctx_.error(f_, rr.at("interval"), "scenario.out-of-range", "a retry interval must be longer than 0s");
            }
          }
          c.steps.push_back(std::move(st));
        },
        true);
    if (c.id.empty())
      return; // reported by the reader; nothing can refer to it
    s_.campaigns.push_back(std::move(c));
  }

  void botnet(const json& v, const std::string& p)
  {
    Reader r(ctx_, f_, v, p);
    if (!r.ok())
      return;
    Botnet b;
    b.origin = origin(p);
    r.string("id", b.id, true);
    r.string("name", b.name);
    r.integer("size", b.size, 1, 100000000, true);
    r.quantity("bot_bandwidth", Q::bandwidth, b.bot_bandwidth);
    r.strings("attach", b.attach, true);
    r.string("target", b.target, true);
    r.strings("indicators", b.indicators);
    r.each("schedule", [&](const json& wv, const std::string& wp) {
      Reader w(ctx_, f_, wv, wp);
      if (!w.ok())
        return;
      BotnetWave wave;
      const bool ok =
          w.quantity("start", Q::duration, wave.start, true) & w.quantity("end", Q::duration, wave.end, true);
      w.number("intensity", wave.intensity, 0, 1);
      if (ok && wave.end <= wave.start)
        ctx_.error(f_, w.at("end"), "scenario.bad-value",
                   "a wave ends after it starts; got start " + format_duration(wave.start) + ", end " +
                       format_duration(wave.end));
      b.schedule.push_back(wave);
    });
    s_.botnets.push_back(std::move(b));
  }

  void sensor(const json& v, const std::string& p)
  {
    Reader r(ctx_, f_, v, p);
    if (!r.ok())
      return;
    Sensor sn;
    sn.origin = origin(p);
    r.string("id", sn.id, true);
    r.string("name", sn.name);
    r.string("team", sn.team, true);
    r.string("kind", sn.kind);
    r.strings("covers", sn.covers, true);
    r.strings("detects", sn.detects);
    r.probability("probability", sn.probability);
    r.distribution("delay", sn.delay);
    r.number("false_positives_per_day", sn.false_positives_per_day, 0, 1e6);
    s_.sensors.push_back(std::move(sn));
  }

  void inject(const json& v, const std::string& p)
  {
    Reader r(ctx_, f_, v, p);
    if (!r.ok())
      return;
    Inject in;
    in.origin = origin(p);
    r.string("id", in.id, true);
    r.string("move", in.move);
    std::optional<double> time;
    double t = 0;
    if (r.quantity("time", Q::inject_time, t))
      time = t;
    if (const json* tv = r.get("trigger")) {
      Trigger trig;
      if (read_trigger(ctx_, f_, *tv, r.at("trigger"), trig))
        in.trigger = std::move(trig);
    }
    if (const json* sv = r.get("skip_if")) {
      Trigger skip;
      if (read_trigger(ctx_, f_, *sv, r.at("skip_if"), skip))
        in.skip_if = std::move(skip);
    }
    r.quantity("delay", Q::duration, in.delay);
    double nb = 0;
    if (r.quantity("not_before", Q::inject_time, nb))
      in.not_before = nb; // relative to the move, as "time" is; resolved with it
    r.quantity("expires", Q::duration, in.expires);
    r.enumeration("type", in.type, inject_type_from_string, inject_type_names(), "inject type");
    r.string("channel", in.channel);
    r.string("from", in.from);
    r.strings("to", in.to);
    r.boolean("hidden", in.hidden);
    r.string("title", in.title);
    r.string("content", in.content);
    const bool timed = r.get("time") != nullptr;
    const bool triggered = r.get("trigger") != nullptr;
    if (in.type == InjectType::contingency) {
      if (timed || triggered)
        ctx_.error(f_, r.at(timed ? "time" : "trigger"), "scenario.inject-timing",
                   "a contingency inject is released by a missed expectation; it has no time or trigger");
    } else if (timed && triggered) {
      ctx_.error(f_, r.at("trigger"), "scenario.inject-timing", "an inject has a time or a trigger, not both");
    } else if (!timed && !triggered) {
      ctx_.error(f_, p, "scenario.inject-timing",
                 "an inject needs a \"time\" or a \"trigger\" (or type \"contingency\")");
    }
    const bool not_before = r.get("not_before") != nullptr;
    if (not_before && !triggered)
      ctx_.error(f_, r.at("not_before"), "scenario.inject-timing",
                 "\"not_before\" holds back a triggered inject; this inject has no \"trigger\"");
    if (r.get("move") && !timed && !(triggered && not_before))
      ctx_.error(f_, r.at("move"), "scenario.inject-timing",
                 "\"move\" places a \"time\" (or a triggered inject's \"not_before\"); this inject has none");
    if (r.get("skip_if") && !timed)
      ctx_.error(f_, r.at("skip_if"), "scenario.inject-timing",
                 "\"skip_if\" is checked when a timed inject is due; this inject has no \"time\"");
    r.each("expectations", [&](const json& ev, const std::string& ep) {
      Reader er(ctx_, f_, ev, ep);
      if (!er.ok())
        return;
      Expectation e;
      e.origin = origin(ep);
      er.string("id", e.id, true);
      er.string("team", e.team, true);
      er.string("description", e.description);
      if (er.quantity("within", Q::duration, e.within) && e.within <= 0)
        ctx_.error(f_, er.at("within"), "scenario.out-of-range", "\"within\" must be longer than 0s");
      er.string("objective", e.objective);
      er.string("critical_task", e.critical_task);
      if (const json* mv = er.get("met_by", true))
        read_trigger(ctx_, f_, *mv, er.at("met_by"), e.met_by);
      if (const json* pv = er.get("premise")) {
        Trigger premise;
        if (read_trigger(ctx_, f_, *pv, er.at("premise"), premise))
          e.premise = std::move(premise);
      }
      er.string("contingency", e.contingency);
      er.number("points", e.points, 0, 1e6);
      in.expectations.push_back(std::move(e));
    });
    if (in.id.empty())
      return; // reported by the reader; nothing can refer to it
    s_.msel.push_back(std::move(in));
    x_.inject_times.push_back(time);
  }

  void action(const json& v, const std::string& p)
  {
    Reader r(ctx_, f_, v, p);
    if (!r.ok())
      return;
    ActionSpec a;
    a.origin = origin(p);
    const bool typed = r.enumeration("type", a.type, action_type_from_string, action_type_names(), "action type", true);
    if (typed) {
      // fields left out keep the type's built-in values
      const ActionSpec d = default_action(a.type);
      a.duration = d.duration;
      a.effect_duration = d.effect_duration;
      a.capacity = d.capacity;
      a.extends = d.extends;
      a.mode = d.mode;
      a.scrubbing_capacity = d.scrubbing_capacity;
    }
    r.quantity("duration", Q::duration, a.duration);
    r.quantity("offline", Q::duration, a.effect_duration);
    if (typed && a.type == ActionType::filter_ddos) {
      filter_fields(r, a);
    } else {
      r.number("capacity", a.capacity, 0, 1);
      r.allow("mode"); // another action's: ignored, with the warning below
    }
    r.quantity("extends", Q::duration, a.extends);
    restore_times(r, a);
    r.string("description", a.description);
    if (!typed)
      return;
    // fields that only one action type reads: a planner who puts them elsewhere expects an effect that never comes
    const std::pair<const char*, ActionType> owners[] = {{"offline", ActionType::restore},
                                                         {"offline_by_kind", ActionType::restore},
                                                         {"backup_destroyed", ActionType::restore},
                                                         {"extends", ActionType::refuel},
                                                         {"mode", ActionType::filter_ddos}};
    for (const auto& [key, owner] : owners)
      if (v.contains(key) && a.type != owner)
        ctx_.warning(f_, r.at(key), "scenario.ignored",
                     quote(key) + " applies to action " + quote(to_string(owner)) + " only; action " +
                         quote(to_string(a.type)) + " ignores it");
    const auto t = static_cast<std::size_t>(a.type);
    if (x_.actions_listed[t]) {
      ctx_.error(f_, r.at("type"), "scenario.duplicate-id",
                 "action " + quote(to_string(a.type)) + " is already defined");
      return;
    }
    x_.actions_listed[t] = true;
    s_.actions.push_back(std::move(a));
  }

  /// A filter_ddos's "mode" (scrubbing or blackhole) and "capacity": the scrubbing centre's, a bandwidth above 0.
  void filter_fields(Reader& r, ActionSpec& a)
  {
    std::string mode;
    if (r.string("mode", mode)) {
      const std::vector<std::string> modes(std::begin(FILTER_MODES), std::end(FILTER_MODES));
      const std::string near = suggestion(mode, modes);
      if (std::find(modes.begin(), modes.end(), mode) == modes.end())
        ctx_.error(f_, r.at("mode"), "scenario.bad-value",
                   "unknown filtering mode " + quote(mode) +
                       (near.empty() ? "; expected 'scrubbing' or 'blackhole'" : near));
      else
        a.mode = mode;
    }
    double capacity = 0;
    if (r.quantity("capacity", Q::bandwidth, capacity)) {
      if (capacity > 0)
        a.scrubbing_capacity = capacity;
      else
        ctx_.error(f_, r.at("capacity"), "scenario.out-of-range",
                   "a scrubbing capacity is a bandwidth above 0, such as \"800Mbps\"; got " +
                       describe(*r.get("capacity")));
    }
  }

  /// A restore's "offline_by_kind" ({"domain_controller": "8h", ...}) and "backup_destroyed" (a factor >= 1 on the
  /// offline time, or "impossible").
  void restore_times(Reader& r, ActionSpec& a)
  {
    if (const json* by = r.get("offline_by_kind")) {
      if (!by->is_object()) {
        ctx_.error(f_, r.at("offline_by_kind"), "scenario.type",
                   "expected an object of node kind -> duration, e.g. {\"domain_controller\": \"8h\"}; got " +
                       describe(*by));
      } else {
        for (auto it = by->begin(); it != by->end(); ++it) {
          const std::string ptr = r.at("offline_by_kind") + "/" + json_source::escape_token(it.key());
          const auto kind = node_kind_from_string(it.key());
          if (!kind) {
            ctx_.error(f_, ptr, "scenario.bad-value",
                       "unknown node kind " + quote(it.key()) + suggestion(it.key(), node_kind_names()), true);
            continue;
          }
          double seconds = 0;
          if (read_quantity(ctx_, f_, it.value(), ptr, Q::duration, seconds))
            a.effect_duration_by_kind[*kind] = seconds;
        }
      }
    }
    if (const json* bd = r.get("backup_destroyed")) {
      if (bd->is_string() && bd->get<std::string>() == "impossible")
        a.backup_destroyed_factor = 0;
      else if (bd->is_number() && bd->get<double>() >= 1 && std::isfinite(bd->get<double>()))
        a.backup_destroyed_factor = bd->get<double>();
      else
        ctx_.error(f_, r.at("backup_destroyed"), "scenario.bad-value",
                   "expected a factor >= 1 on the offline time, or \"impossible\"; got " + describe(*bd));
    }
  }

  void capability(const json& v, const std::string& p)
  {
    Reader r(ctx_, f_, v, p);
    if (!r.ok())
      return;
    Capability c;
    c.origin = origin(p);
    r.string("id", c.id, true);
    r.string("name", c.name);
    r.each("critical_tasks", [&](const json& tv, const std::string& tp) {
      Reader tr(ctx_, f_, tv, tp);
      if (!tr.ok())
        return;
      CriticalTask t;
      tr.string("id", t.id, true);
      tr.string("description", t.description);
      c.critical_tasks.push_back(std::move(t));
    });
    s_.capabilities.push_back(std::move(c));
  }

  void objective(const json& v, const std::string& p)
  {
    static const std::vector<std::string> metrics{"time_to_detect",   "time_to_contain",  "time_to_recover",
                                                  "availability",     "data_exfiltrated", "mwh_lost",
                                                  "expectations_met", "time_to_share"};
    Reader r(ctx_, f_, v, p);
    if (!r.ok())
      return;
    Objective o;
    o.origin = origin(p);
    r.string("id", o.id, true);
    r.string("title", o.title);
    r.string("description", o.description);
    r.string("capability", o.capability);
    r.strings("critical_tasks", o.critical_tasks);
    r.strings("teams", o.teams);
    if (r.strings("metrics", o.metrics))
      for (std::size_t i = 0; i < o.metrics.size(); ++i)
        if (std::find(metrics.begin(), metrics.end(), o.metrics[i]) == metrics.end())
          ctx_.error(f_, r.at("metrics") + "/" + std::to_string(i), "scenario.bad-value",
                     "unknown metric " + quote(o.metrics[i]) + suggestion(o.metrics[i], metrics));
    r.number("weight", o.weight, 0, 1e6);
    s_.objectives.push_back(std::move(o));
  }

  void scoring(const json& v, const std::string& p)
  {
    static const std::vector<std::string> categories{
        "functional_impact",  "observed_activity", "location",     "actor",
        "information_impact", "recoverability",    "cross_sector", "potential_impact"};
    Reader r(ctx_, f_, v, p);
    if (!r.ok())
      return;
    Scoring& sc = s_.scoring;
    if (const json* wv = r.get("weights")) {
      Reader w(ctx_, f_, *wv, r.at("weights"));
      if (w.ok()) {
        w.number("expectations", sc.weight_expectations, 0, 1e6);
        w.number("ratings", sc.weight_ratings, 0, 1e6);
        w.number("metrics", sc.weight_metrics, 0, 1e6);
      }
    }
    r.each("severity", [&](const json& cv, const std::string& cp) {
      Reader c(ctx_, f_, cv, cp);
      if (!c.ok())
        return;
      SeverityCategory cat;
      if (c.string("id", cat.id, true) && std::find(categories.begin(), categories.end(), cat.id) == categories.end())
        ctx_.error(f_, c.at("id"), "scenario.bad-value",
                   "unknown severity category " + quote(cat.id) + suggestion(cat.id, categories));
      c.number("weight", cat.weight, 0, 1e6);
      if (const json* lv = c.get("levels", true)) {
        if (!lv->is_object()) {
          ctx_.error(f_, c.at("levels"), "scenario.type", "expected an object of level: score; got " + describe(*lv));
        } else {
          Reader levels(ctx_, f_, *lv, c.at("levels"));
          for (const auto& [name, score] : lv->items()) {
            double x = 0;
            if (levels.number(name, x, 0, 100))
              cat.levels[name] = x;
          }
        }
      }
      sc.severity.push_back(std::move(cat));
    });
  }

private:
  Context& ctx_;
  int f_;
  Scenario& s_;
  Extras& x_;
};

} // namespace

const std::vector<std::string>& protocol_names()
{
  // Sorted: looked up by binary search. IT, then industrial control protocols (docs/scenario-format.md, "links").
  static const std::vector<std::string> names{
      "any",    "bacnet",   "dnp3",     "dns",      "enip", "ftp",    "http", "https",   "icmp",
      "iec104", "iec61850", "imap",     "kerberos", "ldap", "modbus", "mqtt", "netbios", "ntp",
      "opcua",  "pop3",     "profinet", "rdp",      "rpc",  "s7",     "sftp", "smb",     "smtp",
      "snmp",   "sql",      "ssh",      "telnet",   "tls",  "vnc",    "winrm"};
  return names;
}

void read_sections(Context& ctx, int file, bool main_file, Scenario& s, Extras& extras)
{
  const json& root = ctx.files[static_cast<std::size_t>(file)].doc.root;
  Reader r(ctx, file, root, "");
  if (!r.ok())
    return;
  SectionReader sr(ctx, file, s, extras);
  r.allow("$schema");
  r.allow("cyberex");
  r.allow("include");
  if (main_file) {
    if (const json* e = r.get("exercise", true)) {
      extras.have_exercise = true;
      sr.exercise(*e, "/exercise");
    }
  } else if (root.contains("exercise")) {
    r.allow("exercise");
    ctx.error(file, "/exercise", "scenario.misplaced-section",
              "\"exercise\" belongs in the main scenario file, not in an included file", true);
  }
  const auto each = [&](const char* key, void (SectionReader::*fn)(const json&, const std::string&)) {
    r.each(key, [&](const json& v, const std::string& p) { (sr.*fn)(v, p); });
  };
  each("organisations", &SectionReader::organisation);
  each("teams", &SectionReader::team);
  each("sites", &SectionReader::site);
  each("topologies", &SectionReader::topology);
  each("nodes", &SectionReader::node);
  each("links", &SectionReader::link);
  each("grids", &SectionReader::grid);
  each("services", &SectionReader::service);
  each("dependencies", &SectionReader::dependency);
  each("indicators", &SectionReader::indicator);
  if (const json* a = r.get("adversary")) {
    Reader ar(ctx, file, *a, "/adversary");
    if (ar.ok()) {
      ar.each("campaigns", [&](const json& v, const std::string& p) { sr.campaign(v, p); });
      ar.each("botnets", [&](const json& v, const std::string& p) { sr.botnet(v, p); });
    }
  }
  each("sensors", &SectionReader::sensor);
  each("msel", &SectionReader::inject);
  each("actions", &SectionReader::action);
  each("capabilities", &SectionReader::capability);
  each("objectives", &SectionReader::objective);
  if (main_file) {
    if (const json* sc = r.get("scoring"))
      sr.scoring(*sc, "/scoring");
  } else if (root.contains("scoring")) {
    r.allow("scoring");
    ctx.error(file, "/scoring", "scenario.misplaced-section",
              "\"scoring\" belongs in the main scenario file, not in an included file", true);
  }
}

} // namespace cyberex::scenario_impl

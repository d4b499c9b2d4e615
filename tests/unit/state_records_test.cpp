/* One test per RecordType (issue 12): each applies to an ExerciseState of the tutorial a short sequence of records,
 * written as the engine (sim/src/engine) and the session (sim/src/exercise) write them (docs/events.md,
 * docs/protocol.md), and checks what the last record changed, before and after it. No engine runs: the state is a
 * pure fold. A last test checks that the list of tested types below is the whole enum. Suite state-records. */
#include "exercise_child.hpp"

#include "cyberex/exercise_state.hpp"
#include "cyberex/record.hpp"

#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <string>
#include <vector>

using namespace cyberex;
using Json = nlohmann::json;

namespace {

/// Every record type, in the enum's order; each has a TEST_CASE of its name below.
constexpr std::array tested_types{
    RecordType::campaign_started,
    RecordType::step_started,
    RecordType::step_attempt,
    RecordType::step_succeeded,
    RecordType::step_failed,
    RecordType::campaign_waiting,
    RecordType::campaign_finished,
    RecordType::campaign_stopped,
    RecordType::campaign_detected,
    RecordType::campaign_contained,
    RecordType::node_compromised,
    RecordType::privilege_escalated,
    RecordType::credentials_harvested,
    RecordType::discovery,
    RecordType::persistence,
    RecordType::foothold_lost,
    RecordType::c2_channel,
    RecordType::exfiltration_started,
    RecordType::exfiltration_progress,
    RecordType::exfiltration_ended,
    RecordType::data_published,
    RecordType::node_down,
    RecordType::node_encrypted,
    RecordType::node_defaced,
    RecordType::unit_derated,
    RecordType::unit_tripped,
    RecordType::manual_override,
    RecordType::botnet_wave_started,
    RecordType::botnet_wave_ended,
    RecordType::botnet_wave_blocked,
    RecordType::alert,
    RecordType::node_status,
    RecordType::unit_output,
    RecordType::load_lost,
    RecordType::load_restored,
    RecordType::grid_balance,
    RecordType::dependency_lost,
    RecordType::backup_exhausted,
    RecordType::dependency_restored,
    RecordType::service_status,
    RecordType::probe_status,
    RecordType::action_started,
    RecordType::node_isolated,
    RecordType::node_reconnected,
    RecordType::indicator_blocked,
    RecordType::node_patched,
    RecordType::credentials_reset,
    RecordType::node_offline,
    RecordType::node_restored,
    RecordType::unit_manual,
    RecordType::service_shutdown,
    RecordType::service_restored,
    RecordType::breaker_closed,
    RecordType::backup_refuelled,
    RecordType::action_refused,
    RecordType::public_statement,
    RecordType::backup_destroyed,
    RecordType::filtering_started,
    RecordType::filtering_ended,
    RecordType::branch_tripped,
    RecordType::breaker_opened,
    RecordType::island_formed,
    RecordType::island_merged,
    RecordType::load_shed,
    RecordType::setpoint_changed,
    RecordType::message,
    RecordType::inject,
    RecordType::inject_expired,
    RecordType::clock,
    RecordType::leaderboard,
    RecordType::standings,
    RecordType::read,
    RecordType::sitrep,
    RecordType::inject_released,
    RecordType::inject_triggered,
    RecordType::inject_delayed,
    RecordType::inject_cancelled,
    RecordType::inject_created,
    RecordType::inject_skipped,
    RecordType::expectation_active,
    RecordType::expectation_met,
    RecordType::expectation_missed,
    RecordType::expectation_not_applicable,
    RecordType::assessment,
    RecordType::official_assessment,
    RecordType::observation,
    RecordType::rating,
};

const Scenario& tutorial()
{
  static const Scenario scenario = test::load_tutorial();
  return scenario;
}

/// The audience the session gives a record for these player teams (sorted, as ExerciseSession::Impl::teams does).
Audience to_teams(std::vector<std::string> ids)
{
  std::sort(ids.begin(), ids.end());
  return Audience{Audience::Kind::teams, std::move(ids)};
}

const Audience control_only{};
const Audience everyone{Audience::Kind::all, {}};
const Principal controller{Role::controller, ""};
const Principal observer{Role::observer, ""};

Json series_json(const ExerciseState& state, double t)
{
  const KpiHistory h = state.series(t);
  return Json{{"availability_pct", h.availability_pct},
              {"nodes_compromised", h.nodes_compromised},
              {"data_exfiltrated_mb", h.data_exfiltrated_mb},
              {"mw_lost", h.mw_lost},
              {"scores", h.scores}};
}

/// A state of the tutorial and the records folded into it, each written as one journal line and read back by the
/// Record constructor that takes kind and type from the line.
class Fold {
public:
  ExerciseState state{tutorial()};

  void record(double t, RecordKind kind, RecordType type, const std::string& subject, const std::string& details,
              const Audience& audience)
  {
    nlohmann::ordered_json j;
    j["seq"] = ++seq_;
    j["time"] = t;
    j["kind"] = to_string(kind);
    j["type"] = to_string(type);
    j["subject"] = subject;
    j["details"] = nlohmann::ordered_json::parse(details);
    const Record r(seq_, t, audience, j.dump());
    REQUIRE(r.kind == kind);
    REQUIRE(r.type == type);
    state.apply(r);
  }
  /// A world event (kind event): ground truth unless an audience is given.
  void event(double t, RecordType type, const std::string& subject, const std::string& details,
             const Audience& audience = control_only)
  {
    record(t, RecordKind::event, type, subject, details, audience);
  }
  void exercise(double t, RecordType type, const std::string& subject, const std::string& details,
                const Audience& audience = control_only)
  {
    record(t, RecordKind::exercise, type, subject, details, audience);
  }
  void delivery(double t, RecordType type, const std::string& subject, const std::string& details,
                const Audience& audience)
  {
    record(t, RecordKind::delivery, type, subject, details, audience);
  }

  static Index node(const std::string& id) { return tutorial().node_by_id.at(id); }
  static Index service(const std::string& id) { return tutorial().service_by_id.at(id); }
  const NodeState& node_state(const std::string& id) const { return state.node(node(id)); }

  Json control(double t) const { return Json::parse(state.to_json(t, controller)); }
  Json truth(double t) const { return Json::parse(state.truth_json(t)); }
  Json team(const std::string& id) const { return Json::parse(state.team_json(id)); }
  Json inbox(const std::string& team) const { return Json::parse(state.inbox_json(team)); }
  Json inject(const std::string& id) const { return Json::parse(state.inject_json(id, true)); }
  Json msel() const { return Json::parse(state.msel_json()); }

  /// The node's entry in the ground truth; null while no event touched the node.
  Json truth_node(double t, const std::string& id) const
  {
    const Json all = truth(t);
    for (const auto& n : all["nodes"])
      if (n["node"] == id)
        return n;
    return nullptr;
  }
  Json truth_campaign(double t, const std::string& id) const
  {
    const Json all = truth(t);
    for (const auto& c : all["campaigns"])
      if (c["id"] == id)
        return c;
    return nullptr;
  }
  /// The node's entry in its team's assets (what players see).
  Json asset(const std::string& team, const std::string& node_id) const
  {
    const Json assets = Json::parse(state.assets_json(team));
    for (const auto& n : assets["nodes"])
      if (n["node"] == node_id)
        return n;
    return nullptr;
  }
  CampaignKpis campaign(double t, const std::string& id) const
  {
    for (const auto& c : state.kpis(t).campaigns)
      if (c.id == id)
        return c;
    FAIL("no campaign " << id);
    return {};
  }
  ServiceKpis service_kpis(double t, const std::string& id) const
  {
    for (const auto& s : state.kpis(t).services)
      if (s.id == id)
        return s;
    FAIL("no service " << id);
    return {};
  }
  TeamScore score(double t, const std::string& team) const
  {
    for (const auto& s : state.scores(t))
      if (s.team == team)
        return s;
    FAIL("no team " << team);
    return {};
  }
  MetricScore metric(double t, const std::string& team, const std::string& name) const
  {
    for (const auto& m : score(t, team).metric_details)
      if (m.name == name)
        return m;
    FAIL("no metric " << name << " for " << team);
    return {};
  }
  /// When the team read the item (NEVER while unread); -1 when its inbox does not hold it.
  double read_at(const std::string& team, const std::string& item) const
  {
    double at = -1;
    return state.inbox_item(team, item, &at) ? at : -1;
  }
  bool in_inbox(const std::string& team, const std::string& item) const
  {
    double at = -1;
    return state.inbox_item(team, item, &at);
  }

private:
  std::uint64_t seq_ = 0;
};

/// Everything the state shows at t (the controller's snapshot, the KPI series, the standings) but the two counts
/// that every record moves: the snapshot's seq and the number of world events folded (truth.kpis.events).
Json all_but_counts(const Fold& f, double t)
{
  Json j = f.control(t);
  j.erase("seq");
  j["truth"]["kpis"].erase("events");
  j["series"] = series_json(f.state, t);
  j["standings"] = Json::parse(f.state.last_standings_json());
  return j;
}

/// A world event whose only effect on the state is being counted: kpis().events grows by one, nothing else changes.
void check_counted_only(Fold& f, double t, RecordType type, const std::string& subject, const std::string& details,
                        const Audience& audience = control_only)
{
  const Json before = all_but_counts(f, t);
  const std::uint64_t events = f.state.kpis(t).events;
  const std::uint64_t records = f.state.records();
  f.event(t, type, subject, details, audience);
  CHECK(f.state.kpis(t).events == events + 1);
  CHECK(f.state.records() == records + 1);
  CHECK(all_but_counts(f, t) == before);
}

// Payloads used by several tests, as the emitters write them.
const char* const inj01 =
    R"({"inject":"inj-01","type":"information","channel":"news","from":"Press agency","to":["cert-gov","cert-energy"],)"
    R"("title":"Phishing wave mimics EU summit invitations","content":"Several ministries report e-mails from )"
    R"(press-office@eu-summit.example carrying a PDF attachment.","indicators":["ioc-mail"]})";
const char* const exp_share_pending =
    R"({"expectation":"exp-share","team":"cert-gov","inject":"inj-01","status":"pending","activated":900.0,)"
    R"("deadline":4500.0,"points":1.0,"objective":"obj-share","critical_task":"ct-share",)"
    R"("description":"Share the phishing indicators with the utility."})";
const char* const levels_team = R"({"functional_impact":"medium","information_impact":"classified",)"
                                R"("recoverability":"extended","cross_sector":"one","potential_impact":"high"})";
const char* const levels_official =
    R"({"functional_impact":"medium","information_impact":"classified",)"
    R"("recoverability":"supplemented","cross_sector":"one","potential_impact":"medium"})";

void start_apt(Fold& f)
{
  f.event(600, RecordType::campaign_started, "campaign:apt-docs", R"({"name":"Operation Paper Trail","steps":7})");
}

void start_grid(Fold& f)
{
  f.event(1800, RecordType::campaign_started, "campaign:grid-attack", R"({"name":"Operation Blackout","steps":3})");
}

/// The phishing step against gov-ws-3: started at 600, its first attempt fails at 1800 (what a sensor observes).
void phish_attempt(Fold& f)
{
  start_apt(f);
  f.event(
      600, RecordType::step_started, "campaign:apt-docs",
      R"({"step":"phish","technique":"T1566.001","source":"inet","target":"gov-ws-3","attempt":1,"duration":1200.0})");
  f.event(1800, RecordType::step_attempt, "campaign:apt-docs",
          R"({"step":"phish","technique":"T1566.001","target":"gov-ws-3","attempt":1,"outcome":"failure"})");
}

/// gov-ws-3 compromised by apt-docs at 3000 (user).
void compromise_ws3(Fold& f)
{
  start_apt(f);
  f.event(3000, RecordType::step_attempt, "campaign:apt-docs",
          R"({"step":"phish","technique":"T1566.001","target":"gov-ws-3","attempt":2,"outcome":"success"})");
  f.event(3000, RecordType::node_compromised, "node:gov-ws-3",
          R"({"campaign":"apt-docs","privilege":"user","technique":"T1566.001"})");
}

/// gov-fs compromised by apt-docs at 6000 (admin, lateral movement).
void compromise_fs(Fold& f)
{
  compromise_ws3(f);
  f.event(6000, RecordType::node_compromised, "node:gov-fs",
          R"({"campaign":"apt-docs","privilege":"admin","technique":"T1021.002"})");
}

void deliver_inj01(Fold& f)
{
  f.exercise(900, RecordType::inject_released, "inject:inj-01", R"({"inject":"inj-01","reason":"time"})");
  f.delivery(900, RecordType::inject, "inject:inj-01", inj01, to_teams({"cert-gov", "cert-energy"}));
}

void rate(Fold& f, double t, const char* rating, double value)
{
  f.exercise(t, RecordType::rating, "team:cert-gov",
             std::string(R"({"team":"cert-gov","objective":"obj-share","critical_task":"ct-share","rating":")") +
                 rating + R"(","value":)" + std::to_string(value) + R"(,"text":"","by":"evaluator"})");
}

} // namespace

TEST_SUITE("state-records")
{
  // ------------------------------------------------------------------------------------------------------------------
  // The adversary

  TEST_CASE("campaign_started")
  {
    Fold f;
    CHECK(f.campaign(600, "apt-docs").status == "pending");
    start_apt(f);
    CHECK(f.campaign(600, "apt-docs").status == "running");
    CHECK(f.truth_campaign(600, "apt-docs")["status"] == "running");
    CHECK(f.campaign(600, "grid-attack").status == "pending");
    CHECK(f.state.kpis(600).events == 1);
  }

  TEST_CASE("step_started")
  {
    Fold f;
    start_apt(f);
    f.event(4774.192, RecordType::campaign_waiting, "campaign:apt-docs",
            R"({"step":"lateral","reason":"no reachable target","recheck":600.0})");
    CHECK(f.campaign(4774.192, "apt-docs").status == "waiting");
    // the re-check found a target: the campaign runs again
    f.event(5374.192, RecordType::step_started, "campaign:apt-docs",
            R"({"step":"lateral","technique":"T1021.002","source":"gov-ws-3","target":"gov-fs","attempt":1,)"
            R"("duration":1800.0})");
    CHECK(f.campaign(5374.192, "apt-docs").status == "running");
    CHECK(f.truth_campaign(5374.192, "apt-docs")["status"] == "running");
  }

  TEST_CASE("step_attempt")
  {
    // An attempt is what sensors observe: it makes the alert that follows with its technique on its node a true one.
    // The attempt itself changes nothing else than the count of events.
    Fold with, without;
    for (Fold* f : {&with, &without}) {
      start_apt(*f);
      f->event(600, RecordType::step_started, "campaign:apt-docs",
               R"({"step":"phish","technique":"T1566.001","source":"inet","target":"gov-ws-3","attempt":1,)"
               R"("duration":1200.0})");
    }
    check_counted_only(
        with, 1800, RecordType::step_attempt, "campaign:apt-docs",
        R"({"step":"phish","technique":"T1566.001","target":"gov-ws-3","attempt":1,"outcome":"failure"})");
    const char* alert = R"({"sensor":"gov-mailgw","kind":"av","technique":"T1566.001","node":"gov-ws-3",)"
                        R"("indicators":["ioc-mail","ioc-hash"]})";
    with.event(2555.981, RecordType::alert, "team:cert-gov", alert, to_teams({"cert-gov"}));
    without.event(2555.981, RecordType::alert, "team:cert-gov", alert, to_teams({"cert-gov"}));
    CHECK(with.state.kpis(2555.981).alerts_true == 1);
    CHECK(with.state.kpis(2555.981).alerts_false == 0);
    CHECK(with.state.team_facts("cert-gov").first_true_alert == 2555.981);
    CHECK(without.state.kpis(2555.981).alerts_true == 0);
    CHECK(without.state.kpis(2555.981).alerts_false == 1);
    CHECK(without.state.team_facts("cert-gov").first_true_alert == NEVER);
  }

  TEST_CASE("step_succeeded")
  {
    Fold f;
    compromise_ws3(f);
    CHECK(f.campaign(3000, "apt-docs").steps_succeeded == 0);
    f.event(3000, RecordType::step_succeeded, "campaign:apt-docs", R"({"step":"phish","technique":"T1566.001"})");
    CHECK(f.campaign(3000, "apt-docs").steps_succeeded == 1);
    CHECK(f.truth_campaign(3000, "apt-docs")["steps_succeeded"] == 1);
    CHECK(f.campaign(3000, "grid-attack").steps_succeeded == 0);
    // which step, for the step_succeeded trigger's state check (a technique matches its sub-techniques)
    CHECK(f.state.step_succeeded("apt-docs", "phish", ""));
    CHECK(f.state.step_succeeded("", "", "T1566"));
    CHECK(f.state.step_succeeded("apt-docs", "", "T1566.001"));
    CHECK_FALSE(f.state.step_succeeded("grid-attack", "phish", ""));
    CHECK_FALSE(f.state.step_succeeded("", "", "T1566.002"));
    CHECK_FALSE(f.state.step_succeeded("", "", "T156"));
  }

  TEST_CASE("step_failed")
  {
    // Counted only: the campaign_stopped that follows it says what changed.
    Fold f;
    phish_attempt(f);
    check_counted_only(f, 1800, RecordType::step_failed, "campaign:apt-docs",
                       R"({"step":"phish","technique":"T1566.001"})");
    CHECK(f.campaign(1800, "apt-docs").status == "running");
  }

  TEST_CASE("campaign_waiting")
  {
    Fold f;
    start_apt(f);
    CHECK(f.campaign(4774.192, "apt-docs").status == "running");
    f.event(4774.192, RecordType::campaign_waiting, "campaign:apt-docs",
            R"({"step":"lateral","reason":"no reachable target","recheck":600.0})");
    CHECK(f.campaign(4774.192, "apt-docs").status == "waiting");
    CHECK(f.truth_campaign(4774.192, "apt-docs")["status"] == "waiting");
  }

  TEST_CASE("campaign_finished")
  {
    Fold f;
    start_grid(f);
    f.event(5400, RecordType::step_succeeded, "campaign:grid-attack", R"({"step":"phish","technique":"T1566.001"})");
    f.event(14378.001, RecordType::step_succeeded, "campaign:grid-attack", R"({"step":"rdp","technique":"T1021.001"})");
    f.event(14678.001, RecordType::step_succeeded, "campaign:grid-attack", R"({"step":"command","technique":"T0855"})");
    CHECK(f.campaign(14678.001, "grid-attack").status == "running");
    f.event(14678.001, RecordType::campaign_finished, "campaign:grid-attack", R"({"steps_succeeded":3})");
    CHECK(f.campaign(14678.001, "grid-attack").status == "finished");
    CHECK(f.campaign(14678.001, "grid-attack").steps_succeeded == 3);
    CHECK(f.truth_campaign(14678.001, "grid-attack")["status"] == "finished");
  }

  TEST_CASE("campaign_stopped")
  {
    SUBCASE("a step failed")
    {
      Fold f;
      phish_attempt(f);
      f.event(1800, RecordType::step_failed, "campaign:apt-docs", R"({"step":"phish","technique":"T1566.001"})");
      CHECK(f.campaign(1800, "apt-docs").status == "running");
      f.event(1800, RecordType::campaign_stopped, "campaign:apt-docs", R"({"step":"phish","reason":"step failed"})");
      CHECK(f.campaign(1800, "apt-docs").status == "failed");
      CHECK(f.truth_campaign(1800, "apt-docs")["status"] == "failed");
    }
    SUBCASE("a required step did not succeed")
    {
      Fold f;
      start_grid(f);
      f.event(5400, RecordType::campaign_stopped, "campaign:grid-attack",
              R"({"step":"rdp","reason":"required step 'phish' did not succeed"})");
      CHECK(f.campaign(5400, "grid-attack").status == "stopped");
      CHECK(f.truth_campaign(5400, "grid-attack")["status"] == "stopped");
    }
  }

  TEST_CASE("campaign_detected")
  {
    Fold f;
    phish_attempt(f);
    f.event(2555.981, RecordType::alert, "team:cert-gov",
            R"({"sensor":"gov-mailgw","kind":"av","technique":"T1566.001","node":"gov-ws-3",)"
            R"("indicators":["ioc-mail","ioc-hash"]})",
            to_teams({"cert-gov"}));
    CHECK(f.campaign(2555.981, "apt-docs").time_to_detect == NEVER);
    CHECK_FALSE(f.truth_campaign(2555.981, "apt-docs").contains("time_to_detect"));
    f.event(2555.981, RecordType::campaign_detected, "campaign:apt-docs",
            R"({"team":"cert-gov","sensor":"gov-mailgw","time_to_detect":1955.981})");
    CHECK(f.campaign(2555.981, "apt-docs").time_to_detect == 1955.981);
    CHECK(f.truth_campaign(2555.981, "apt-docs")["time_to_detect"] == 1955.981);
    CHECK(f.campaign(2555.981, "grid-attack").time_to_detect == NEVER);
  }

  TEST_CASE("campaign_contained")
  {
    Fold f;
    compromise_ws3(f);
    f.event(4000, RecordType::node_isolated, "node:gov-ws-3", R"({"team":"cert-gov"})", to_teams({"cert-gov"}));
    CHECK(f.campaign(4000, "apt-docs").time_to_contain == NEVER);
    CHECK(f.state.team_facts("cert-gov").contained == NEVER);
    f.event(4000, RecordType::campaign_contained, "campaign:apt-docs", R"({"time_to_contain":1000.0})");
    CHECK(f.campaign(4000, "apt-docs").time_to_contain == 1000);
    CHECK(f.campaign(4000, "apt-docs").contained == 4000);
    CHECK(f.truth_campaign(4000, "apt-docs")["time_to_contain"] == 1000.0);
    CHECK(f.campaign(4000, "grid-attack").time_to_contain == NEVER);
    // the team's time_to_contain: every campaign that held one of its nodes (apt-docs only) is contained at 4000,
    // its first compromise was at 3000 -> 1000 s, the campaign's own figure
    CHECK(f.state.team_facts("cert-gov").contained == 4000);
    CHECK(f.metric(4000, "cert-gov", "time_to_contain").value == 1000);
    CHECK(f.state.team_facts("cert-energy").contained == NEVER); // none of its nodes was compromised
    // no impact before the containment
    CHECK(std::string(containment_outcome(f.campaign(4000, "apt-docs"))) == "contained before impact");
    CHECK(std::string(containment_outcome(f.campaign(4000, "grid-attack"))) == "not contained");
  }

  TEST_CASE("campaign_contained: a team waits for every campaign that held one of its nodes")
  {
    // apt-docs holds gov-ws-3 from 3000; grid-attack also gets a foothold on gov-ws-1 at 3500 (a second campaign on
    // the same team). apt-docs contained at 4000 does not contain the team; grid-attack contained at 4500 does:
    // time_to_contain = 4500 - 3000 (the team's first compromise) = 1500 s.
    Fold f;
    compromise_ws3(f);
    f.event(3500, RecordType::node_compromised, "node:gov-ws-1",
            R"({"campaign":"grid-attack","privilege":"user","technique":"T1566.001"})");
    f.event(4000, RecordType::campaign_contained, "campaign:apt-docs", R"({"time_to_contain":1000.0})");
    CHECK(f.state.team_facts("cert-gov").contained == NEVER);
    f.event(4500, RecordType::campaign_contained, "campaign:grid-attack", R"({"time_to_contain":1000.0})");
    CHECK(f.state.team_facts("cert-gov").contained == 4500);
    CHECK(f.metric(4500, "cert-gov", "time_to_contain").value == 1500);
  }

  TEST_CASE("campaign_contained: against the campaign's first impact")
  {
    // Impact: a successful step whose effect harms the world (grid-attack's "command" trips plc-1's unit), or the
    // first exfiltrated byte that arrives (apt-docs). A successful compromise is no impact.
    Fold f;
    compromise_ws3(f);
    CHECK(f.campaign(3000, "apt-docs").first_impact == NEVER);
    f.event(9660, RecordType::exfiltration_progress, "node:gov-fs",
            R"({"campaign":"apt-docs","bytes":80000000,"campaign_total":80000000})");
    CHECK(f.campaign(9660, "apt-docs").first_impact == 9660);
    f.event(9700, RecordType::campaign_contained, "campaign:apt-docs", R"({"time_to_contain":6700.0})");
    CHECK(std::string(containment_outcome(f.campaign(9700, "apt-docs"))) == "impact before containment");
    // a failed attempt of an impact step is no impact; a successful one is, at its time
    f.event(9800, RecordType::step_attempt, "campaign:grid-attack",
            R"({"step":"command","technique":"T0855","target":"plc-1","attempt":1,"outcome":"failure"})");
    CHECK(f.campaign(9800, "grid-attack").first_impact == NEVER);
    f.event(9900, RecordType::step_attempt, "campaign:grid-attack",
            R"({"step":"command","technique":"T0855","target":"plc-1","attempt":2,"outcome":"success"})");
    CHECK(f.campaign(9900, "grid-attack").first_impact == 9900);
    // contained at the same instant as the impact: the impact came first
    f.event(9900, RecordType::campaign_contained, "campaign:grid-attack", R"({"time_to_contain":100.0})");
    CHECK(std::string(containment_outcome(f.campaign(9900, "grid-attack"))) == "impact before containment");
  }

  TEST_CASE("node_compromised")
  {
    Fold f;
    start_apt(f);
    f.event(3000, RecordType::step_attempt, "campaign:apt-docs",
            R"({"step":"phish","technique":"T1566.001","target":"gov-ws-3","attempt":2,"outcome":"success"})");
    CHECK_FALSE(f.node_state("gov-ws-3").compromised());
    CHECK(f.state.compromised_nodes().empty());
    CHECK_FALSE(f.metric(3000, "cert-gov", "time_to_detect").applicable);
    f.event(3000, RecordType::node_compromised, "node:gov-ws-3",
            R"({"campaign":"apt-docs","privilege":"user","technique":"T1566.001"})");
    CHECK(f.node_state("gov-ws-3").campaigns == std::vector<std::string>{"apt-docs"});
    CHECK(f.node_state("gov-ws-3").privilege == "user");
    CHECK(f.state.compromised_nodes() == std::vector<std::string>{"gov-ws-3"});
    const Kpis k = f.state.kpis(3000);
    CHECK(k.compromised_max == 1);
    CHECK(k.compromised_end == 1);
    CHECK(k.compromised_ever == 1);
    CHECK(f.campaign(3000, "apt-docs").first_compromise == 3000);
    CHECK(f.campaign(3000, "grid-attack").first_compromise == NEVER);
    const TeamFacts gov = f.state.team_facts("cert-gov");
    CHECK(gov.first_compromise == 3000);
    CHECK(gov.nodes_compromised == 1);
    CHECK(f.state.team_facts("cert-energy").first_compromise == NEVER);
    CHECK(series_json(f.state, 3000)["nodes_compromised"] == Json::parse("[[0,0],[3000,1]]"));
    CHECK(f.truth_node(3000, "gov-ws-3")["compromised"] == true);
    CHECK(f.truth(3000)["compromised"] == Json::parse(R"(["gov-ws-3"])"));
    // the team's time to detect is now measured (and not yet met)
    CHECK(f.metric(3000, "cert-gov", "time_to_detect").applicable);
    CHECK_FALSE(f.metric(3000, "cert-gov", "time_to_detect").value);

    // a foothold on the adversary's own node is no compromise: counted only
    check_counted_only(f, 3100, RecordType::node_compromised, "node:c2",
                       R"({"campaign":"apt-docs","privilege":"system","technique":"T1566.001"})");
  }

  TEST_CASE("privilege_escalated")
  {
    Fold f;
    compromise_ws3(f);
    CHECK(f.node_state("gov-ws-3").privilege == "user");
    f.event(3874.192, RecordType::privilege_escalated, "node:gov-ws-3",
            R"({"campaign":"apt-docs","privilege":"admin","technique":"T1068"})");
    CHECK(f.node_state("gov-ws-3").privilege == "admin");
    CHECK(f.truth_node(3874.192, "gov-ws-3")["privilege"] == "admin");
    CHECK(f.node_state("gov-ws-3").campaigns == std::vector<std::string>{"apt-docs"});
  }

  TEST_CASE("credentials_harvested")
  {
    // Counted only: the credentials open later steps in the engine; the state has no view of them.
    Fold f;
    compromise_ws3(f);
    check_counted_only(f, 4774.192, RecordType::credentials_harvested, "node:gov-ws-3",
                       R"({"campaign":"apt-docs","credentials":["gov-admin"]})");
  }

  TEST_CASE("discovery")
  {
    // Counted only: a discovery step changes nothing an exercise shows.
    Fold f;
    compromise_fs(f);
    check_counted_only(f, 7800, RecordType::discovery, "node:gov-fs", R"({"campaign":"apt-docs","technique":"T1005"})");
  }

  TEST_CASE("persistence")
  {
    // Counted only: persistence keeps a foothold through a credential reset in the engine (no foothold_lost follows).
    Fold f;
    compromise_ws3(f);
    check_counted_only(f, 4000, RecordType::persistence, "node:gov-ws-3",
                       R"({"campaign":"apt-docs","technique":"T1053.005"})");
  }

  TEST_CASE("foothold_lost")
  {
    Fold f;
    compromise_ws3(f);
    f.event(5000, RecordType::credentials_reset, "node:gov-ws-3", R"({"team":"cert-gov","credentials":["gov-user"]})",
            to_teams({"cert-gov"}));
    CHECK(f.node_state("gov-ws-3").compromised());
    CHECK(f.state.team_facts("cert-gov").contained == NEVER);
    f.event(5000, RecordType::foothold_lost, "node:gov-ws-3",
            R"({"campaign":"apt-docs","reason":"credentials reset"})");
    CHECK_FALSE(f.node_state("gov-ws-3").compromised());
    CHECK(f.node_state("gov-ws-3").privilege.empty());
    CHECK(f.state.compromised_nodes().empty());
    const Kpis k = f.state.kpis(5000);
    CHECK(k.compromised_end == 0);
    CHECK(k.compromised_max == 1);
    CHECK(k.compromised_ever == 1);
    CHECK(series_json(f.state, 5000)["nodes_compromised"] == Json::parse("[[0,0],[3000,1],[5000,0]]"));
    // losing a foothold is not containment by itself: the engine says when the campaign can no longer act
    // (campaign_contained, docs/engine.md), and the team's time_to_contain follows it
    const TeamFacts gov = f.state.team_facts("cert-gov");
    CHECK(gov.contained == NEVER);
    CHECK(gov.nodes_compromised == 1);
    CHECK(f.truth_node(5000, "gov-ws-3").is_null());
  }

  TEST_CASE("c2_channel")
  {
    // Counted only: the beacon's state is the engine's (containment comes as campaign_contained).
    Fold f;
    compromise_ws3(f);
    check_counted_only(f, 3000.004, RecordType::c2_channel, "node:gov-ws-3",
                       R"({"campaign":"apt-docs","state":"up","reason":"beacon"})");
  }

  TEST_CASE("exfiltration_started")
  {
    // Counted only: bytes count when they arrive (exfiltration_progress, exfiltration_ended).
    Fold f;
    compromise_fs(f);
    check_counted_only(f, 9600, RecordType::exfiltration_started, "node:gov-fs",
                       R"({"campaign":"apt-docs","to":"c2","bytes":500000000})");
    CHECK(f.state.exfiltrated("") == 0);
  }

  TEST_CASE("exfiltration_progress")
  {
    Fold f;
    compromise_fs(f);
    f.event(9600, RecordType::exfiltration_started, "node:gov-fs",
            R"({"campaign":"apt-docs","to":"c2","bytes":500000000})");
    CHECK(f.state.exfiltrated("apt-docs") == 0);
    CHECK(f.metric(9600, "cert-gov", "data_exfiltrated").score == 100);
    f.event(9660, RecordType::exfiltration_progress, "node:gov-fs",
            R"({"campaign":"apt-docs","bytes":80000000,"campaign_total":80000000})");
    CHECK(f.state.exfiltrated("apt-docs") == 80e6);
    CHECK(f.state.team_facts("cert-gov").exfiltrated == 80e6);
    CHECK(f.metric(9660, "cert-gov", "data_exfiltrated").score == 84);
    f.event(9720, RecordType::exfiltration_progress, "node:gov-fs",
            R"({"campaign":"apt-docs","bytes":160000000,"campaign_total":160000000})");
    CHECK(f.state.exfiltrated("apt-docs") == 160e6);
    CHECK(f.state.exfiltrated("") == 160e6);
    CHECK(f.state.exfiltrated("grid-attack") == 0);
    CHECK(f.campaign(9720, "apt-docs").bytes_exfiltrated == 160e6);
    CHECK(f.state.team_facts("cert-gov").exfiltrated == 160e6);
    CHECK(f.state.team_facts("cert-energy").exfiltrated == 0);
    const MetricScore m = f.metric(9720, "cert-gov", "data_exfiltrated");
    CHECK(m.value == 160e6);
    CHECK(m.score == 68);
    CHECK(series_json(f.state, 9720)["data_exfiltrated_mb"] == Json::parse("[[0,0],[9660,80],[9720,160]]"));
  }

  TEST_CASE("exfiltration_ended")
  {
    Fold f;
    compromise_fs(f);
    f.event(9600, RecordType::exfiltration_started, "node:gov-fs",
            R"({"campaign":"apt-docs","to":"c2","bytes":500000000})");
    f.event(9660, RecordType::exfiltration_progress, "node:gov-fs",
            R"({"campaign":"apt-docs","bytes":80000000,"campaign_total":80000000})");
    CHECK(f.state.exfiltrated("apt-docs") == 80e6);
    f.event(9700, RecordType::exfiltration_ended, "node:gov-fs",
            R"({"campaign":"apt-docs","bytes":500000000,"complete":true,"campaign_total":500000000})");
    CHECK(f.state.exfiltrated("apt-docs") == 500e6);
    CHECK(f.campaign(9700, "apt-docs").bytes_exfiltrated == 500e6);
    CHECK(f.truth_campaign(9700, "apt-docs")["bytes_exfiltrated"] == 500e6);
    CHECK(f.state.team_facts("cert-gov").exfiltrated == 500e6);
    const MetricScore m = f.metric(9700, "cert-gov", "data_exfiltrated");
    CHECK(m.value == 500e6);
    CHECK(m.score == 0);
    CHECK(series_json(f.state, 9700)["data_exfiltrated_mb"] == Json::parse("[[0,0],[9660,80],[9700,500]]"));
  }

  TEST_CASE("data_published")
  {
    // Counted only in the views: what was published is what was exfiltrated, already counted; the state remembers
    // that it was published (the data_published trigger).
    Fold f;
    compromise_fs(f);
    f.event(9700, RecordType::exfiltration_ended, "node:gov-fs",
            R"({"campaign":"apt-docs","bytes":500000000,"complete":true,"campaign_total":500000000})");
    CHECK_FALSE(f.state.data_published("apt-docs"));
    check_counted_only(f, 13300, RecordType::data_published, "campaign:apt-docs", R"({"bytes":500000000})");
    // for the data_published trigger's state check
    CHECK(f.state.data_published("apt-docs"));
    CHECK_FALSE(f.state.data_published("grid-attack"));
  }

  TEST_CASE("node_down")
  {
    Fold f;
    start_grid(f);
    CHECK_FALSE(f.node_state("ut-hist").down);
    CHECK(f.asset("cert-energy", "ut-hist")["down"] == false);
    f.event(9000, RecordType::node_down, "node:ut-hist", R"({"campaign":"grid-attack","technique":"T1529"})");
    CHECK(f.node_state("ut-hist").down);
    CHECK(f.truth_node(9000, "ut-hist")["down"] == true);
    CHECK(f.asset("cert-energy", "ut-hist")["down"] == true);
  }

  TEST_CASE("node_encrypted")
  {
    Fold f;
    compromise_fs(f);
    CHECK_FALSE(f.node_state("gov-fs").encrypted);
    CHECK_FALSE(f.truth_node(8000, "gov-fs").contains("encrypted"));
    f.event(8000, RecordType::node_encrypted, "node:gov-fs", R"({"campaign":"apt-docs"})");
    CHECK(f.node_state("gov-fs").encrypted);
    CHECK(f.truth_node(8000, "gov-fs")["encrypted"] == true);
  }

  TEST_CASE("node_defaced")
  {
    Fold f;
    start_apt(f);
    CHECK_FALSE(f.node_state("gov-web").defaced);
    CHECK(f.truth_node(8000, "gov-web").is_null());
    f.event(8000, RecordType::node_defaced, "node:gov-web", R"({"campaign":"apt-docs"})");
    CHECK(f.node_state("gov-web").defaced);
    CHECK(f.truth_node(8000, "gov-web")["defaced"] == true);
  }

  TEST_CASE("unit_derated")
  {
    // Counted only: the unit_output that follows says what the unit delivers now.
    Fold f;
    start_grid(f);
    check_counted_only(f, 14678.001, RecordType::unit_derated, "node:gen-1",
                       R"({"campaign":"grid-attack","derate":0.5,"by":"plc-1"})");
  }

  TEST_CASE("unit_tripped")
  {
    // Counted only: node_status, unit_output, load_lost and grid_balance follow with the consequences.
    Fold f;
    start_grid(f);
    check_counted_only(f, 14678.001, RecordType::unit_tripped, "node:gen-1",
                       R"({"campaign":"grid-attack","by":"plc-1"})");
  }

  TEST_CASE("manual_override")
  {
    // Counted only: the unit in manual operations ignores the adversary's command; nothing changes.
    Fold f;
    start_grid(f);
    f.event(15900, RecordType::unit_manual, "node:gen-1", R"({"team":"cert-energy","capacity":0.6})",
            to_teams({"cert-energy"}));
    check_counted_only(f, 16000, RecordType::manual_override, "node:gen-1",
                       R"({"campaign":"grid-attack","technique":"T0855"})");
  }

  TEST_CASE("botnet_wave_started")
  {
    // Counted only: the flood's effect is measured by the probes (probe_status).
    Fold f;
    check_counted_only(f, 3600, RecordType::botnet_wave_started, "botnet:flood",
                       R"({"wave":0,"target":"gov-web","bots":2000,"flows":2000,"flow_bandwidth":125000})");
  }

  TEST_CASE("botnet_wave_ended")
  {
    // Counted only, as botnet_wave_started.
    Fold f;
    f.event(3600, RecordType::botnet_wave_started, "botnet:flood",
            R"({"wave":0,"target":"gov-web","bots":2000,"flows":2000,"flow_bandwidth":125000})");
    check_counted_only(f, 7200, RecordType::botnet_wave_ended, "botnet:flood", R"({"wave":0,"reason":"schedule"})");
  }

  TEST_CASE("botnet_wave_blocked")
  {
    // Counted only: the wave did not start.
    Fold f;
    f.event(7200, RecordType::indicator_blocked, "indicator:ioc-bots",
            R"({"team":"cert-gov","value":"198.51.100.0/24"})", to_teams({"cert-gov"}));
    check_counted_only(f, 18000, RecordType::botnet_wave_blocked, "botnet:flood", R"({"wave":1})");
  }

  // ------------------------------------------------------------------------------------------------------------------
  // Sensors

  TEST_CASE("alert")
  {
    Fold f;
    phish_attempt(f);
    CHECK(f.state.alerts_json("cert-gov") == "[]");
    CHECK_FALSE(f.state.team_knows("cert-gov", "ioc-mail"));
    f.event(2555.981, RecordType::alert, "team:cert-gov",
            R"({"sensor":"gov-mailgw","kind":"av","technique":"T1566.001","node":"gov-ws-3",)"
            R"("indicators":["ioc-mail","ioc-hash"]})",
            to_teams({"cert-gov"}));
    CHECK(Json::parse(f.state.alerts_json("cert-gov")) ==
          Json::parse(R"([{"sensor":"gov-mailgw","kind":"av","technique":"T1566.001","node":"gov-ws-3",)"
                      R"("indicators":["ioc-mail","ioc-hash"],"time":2555.981}])"));
    CHECK(f.state.team_knows("cert-gov", "ioc-mail"));
    CHECK(f.state.team_knows("cert-gov", "ioc-hash"));
    CHECK_FALSE(f.state.team_knows("cert-gov", "ioc-c2"));
    CHECK_FALSE(f.state.team_knows("cert-energy", "ioc-mail"));
    CHECK(f.state.alerts_json("cert-energy") == "[]");
    CHECK(f.state.kpis(2555.981).alerts_true == 1);
    CHECK(f.state.kpis(2555.981).alerts_false == 0);
    CHECK(f.state.team_facts("cert-gov").first_true_alert == 2555.981);

    // a false positive: no attempt of its technique on its node
    f.event(3000, RecordType::alert, "team:cert-gov",
            R"({"sensor":"gov-ids","kind":"ids","technique":"exfiltration","node":"gov-dc","indicators":[]})",
            to_teams({"cert-gov"}));
    CHECK(f.state.kpis(3000).alerts_true == 1);
    CHECK(f.state.kpis(3000).alerts_false == 1);
    CHECK(f.state.team_facts("cert-gov").first_true_alert == 2555.981);
    CHECK(Json::parse(f.state.alerts_json("cert-gov")).size() == 2);
  }

  // ------------------------------------------------------------------------------------------------------------------
  // Infrastructure, power, services

  TEST_CASE("node_status")
  {
    Fold f;
    f.event(3300, RecordType::node_isolated, "node:gov-fs", R"({"team":"cert-gov"})", to_teams({"cert-gov"}));
    CHECK_FALSE(f.node_state("gov-fs").failed);
    CHECK(f.asset("cert-gov", "gov-fs")["failed"] == false);
    f.event(3300, RecordType::node_status, "node:gov-fs", R"({"status":"failed","reason":"isolated"})",
            to_teams({"cert-gov"}));
    CHECK(f.node_state("gov-fs").failed);
    CHECK(f.node_state("gov-fs").reason == "isolated");
    CHECK(f.truth_node(3300, "gov-fs")["status"] == "failed");
    CHECK(f.truth_node(3300, "gov-fs")["reason"] == "isolated");
    CHECK(f.asset("cert-gov", "gov-fs")["failed"] == true);

    f.event(3900, RecordType::node_reconnected, "node:gov-fs", R"({"team":"cert-gov"})", to_teams({"cert-gov"}));
    f.event(3900, RecordType::node_status, "node:gov-fs", R"({"status":"ok","reason":""})", to_teams({"cert-gov"}));
    CHECK_FALSE(f.node_state("gov-fs").failed);
    CHECK(f.node_state("gov-fs").reason.empty());
    CHECK(f.asset("cert-gov", "gov-fs")["failed"] == false);
  }

  TEST_CASE("unit_output")
  {
    Fold f;
    CHECK_FALSE(f.node_state("gen-1").output_mw);
    CHECK(f.asset("cert-energy", "gen-1")["output_mw"] == 200.0); // the scenario's capacity
    f.event(14678.001, RecordType::unit_output, "node:gen-1", R"({"mw":0.0,"capacity":200.0,"mode":"tripped"})",
            to_teams({"cert-energy"}));
    CHECK(f.node_state("gen-1").output_mw == 0.0);
    CHECK(f.node_state("gen-1").capacity_mw == 200.0);
    CHECK(f.node_state("gen-1").mode == "tripped");
    CHECK(f.asset("cert-energy", "gen-1")["output_mw"] == 0.0);
    CHECK(f.truth_node(14678.001, "gen-1")["output_mw"] == 0.0);
    CHECK(f.truth_node(14678.001, "gen-1")["mode"] == "tripped");
    f.event(15900, RecordType::unit_output, "node:gen-1", R"({"mw":120.0,"capacity":200.0,"mode":"manual"})",
            to_teams({"cert-energy"}));
    CHECK(f.node_state("gen-1").output_mw == 120.0);
    CHECK(f.node_state("gen-1").mode == "manual");
    CHECK(f.asset("cert-energy", "gen-1")["output_mw"] == 120.0);
  }

  TEST_CASE("load_lost")
  {
    Fold f;
    CHECK_FALSE(f.node_state("sub-city").load_lost_mw);
    CHECK(f.asset("cert-energy", "sub-city")["energised"] == true);
    f.event(14678.001, RecordType::load_lost, "node:sub-city",
            R"({"mw":180.0,"customers":200000,"reason":"load shed"})");
    CHECK(f.node_state("sub-city").load_lost_mw == 180.0);
    CHECK(f.asset("cert-energy", "sub-city")["energised"] == false);
    CHECK(f.truth_node(14678.001, "sub-city")["load_lost_mw"] == 180.0);
    CHECK(f.asset("cert-energy", "sub-rural")["energised"] == true);
  }

  TEST_CASE("load_restored")
  {
    Fold f;
    f.event(14678.001, RecordType::load_lost, "node:sub-city",
            R"({"mw":180.0,"customers":200000,"reason":"load shed"})");
    CHECK(f.asset("cert-energy", "sub-city")["energised"] == false);
    f.event(15900, RecordType::load_restored, "node:sub-city", R"({"mw":180.0,"customers":200000,"reason":""})");
    CHECK_FALSE(f.node_state("sub-city").load_lost_mw);
    CHECK(f.asset("cert-energy", "sub-city")["energised"] == true);
    CHECK(f.truth_node(15900, "sub-city").is_null());
  }

  TEST_CASE("grid_balance")
  {
    Fold f;
    f.event(0, RecordType::grid_balance, "grid:grid-north",
            R"({"available":370.0,"demand":300.0,"lost_mw":0.0,"customers_lost":0})", to_teams({"cert-energy"}));
    CHECK(f.state.lost_mw("grid-north") == 0);
    f.event(14678.001, RecordType::grid_balance, "grid:grid-north",
            R"({"available":170.0,"demand":300.0,"lost_mw":300.0,"customers_lost":350000})", to_teams({"cert-energy"}));
    CHECK(f.state.lost_mw("grid-north") == 300);
    CHECK(f.state.lost_mw("") == 300);
    CHECK(f.state.kpis(14678.001).mw_lost_max == 300);
    CHECK(f.state.kpis(14678.001).mwh_lost == 0);
    CHECK(f.state.kpis(18278.001).mwh_lost == 300.0 * (18278.001 - 14678.001) / 3600);
    f.event(15900, RecordType::grid_balance, "grid:grid-north",
            R"({"available":290.0,"demand":300.0,"lost_mw":120.0,"customers_lost":150000})", to_teams({"cert-energy"}));
    CHECK(f.state.lost_mw("grid-north") == 120);
    CHECK(f.state.lost_mw("") == 120);
    const Kpis k = f.state.kpis(19500);
    CHECK(k.mw_lost_max == 300);
    CHECK(k.mwh_lost == (300.0 * (15900 - 14678.001) + 120.0 * (19500 - 15900)) / 3600);
    CHECK(k.customer_hours_lost == (350000.0 * (15900 - 14678.001) + 150000.0 * (19500 - 15900)) / 3600);
    // the grid's balance as recorded; the network's buses and branches (solved from the fold: nothing shed or open
    // in these records) are state-grid's business
    Json grids = f.truth(19500)["grids"];
    REQUIRE(grids.size() == 1);
    CHECK(grids[0]["buses"].size() == 7);
    CHECK(grids[0]["branches"].size() == 8);
    grids[0].erase("buses");
    grids[0].erase("branches");
    CHECK(grids == Json::parse(R"([{"available":290.0,"demand":300.0,"lost_mw":120.0,"customers_lost":150000,)"
                               R"("grid":"grid-north"}])"));
    CHECK(series_json(f.state, 19500)["mw_lost"] == Json::parse("[[0,0],[14678.001,300],[15900,120]]"));
    // the team's MWh lost (its grid)
    CHECK(f.metric(19500, "cert-energy", "mwh_lost").value == std::round(k.mwh_lost * 1000) / 1000);
  }

  TEST_CASE("dependency_lost")
  {
    // Counted only in the views: the dependent's status comes as node_status or service_status when the backup runs
    // out; the state remembers the dependency's status (the dependency_lost and backup_exhausted triggers).
    Fold f;
    CHECK(f.state.dependency_status("pump-needs-power") == "ok");
    check_counted_only(f, 14678.001, RecordType::dependency_lost, "dependency:pump-needs-power",
                       R"({"dependent":"service:water-supply","on":"node:sub-city","backup":7200.0})");
    // for the dependency_lost trigger's state check
    CHECK(f.state.dependency_status("pump-needs-power") == "lost");
    CHECK(f.state.dependency_status("gen-needs-scada") == "ok");
    // when it was lost and when its backup runs dry (the dependency view's draining bar): 14678.001 + 7200
    const auto loss = f.state.dependency_loss("pump-needs-power");
    REQUIRE(loss.has_value());
    CHECK(loss->lost == 14678.001);
    CHECK(loss->backup_until == 14678.001 + 7200.0);
    CHECK_FALSE(f.state.dependency_loss("gen-needs-scada").has_value());
  }

  TEST_CASE("backup_exhausted")
  {
    // Counted only, as dependency_lost (the service_status that follows says the service is down).
    Fold f;
    f.event(14678.001, RecordType::dependency_lost, "dependency:pump-needs-power",
            R"({"dependent":"service:water-supply","on":"node:sub-city","backup":7200.0})");
    check_counted_only(f, 21878.001, RecordType::backup_exhausted, "dependency:pump-needs-power",
                       R"({"kind":"generator"})");
    CHECK(f.state.dependency_status("pump-needs-power") == "exhausted");
  }

  TEST_CASE("dependency_restored")
  {
    // Counted only, as dependency_lost.
    Fold f;
    f.event(14678.001, RecordType::dependency_lost, "dependency:pump-needs-power",
            R"({"dependent":"service:water-supply","on":"node:sub-city","backup":7200.0})");
    check_counted_only(f, 15900, RecordType::dependency_restored, "dependency:pump-needs-power",
                       R"({"dependent":"service:water-supply","on":"node:sub-city"})");
    CHECK(f.state.dependency_status("pump-needs-power") == "ok");
    CHECK_FALSE(f.state.dependency_loss("pump-needs-power").has_value());
  }

  TEST_CASE("service_status")
  {
    Fold f;
    const Index email = Fold::service("gov-email"); // not probed: its availability follows its status
    CHECK(f.state.service_status(email) == "up");
    f.event(3600, RecordType::service_status, "service:gov-email", R"({"status":"down","reason":"node gov-mail"})",
            to_teams({"cert-gov"}));
    CHECK(f.state.service_status(email) == "down");
    CHECK(f.state.availability(email, 5400) == 3600.0 / 5400.0);
    CHECK(f.service_kpis(5400, "gov-email").downtime == 1800);
    CHECK(f.state.team_facts("cert-gov").first_loss == 3600);
    CHECK(f.state.team_facts("cert-gov").recovered == NEVER);
    CHECK(f.state.team_facts("cert-energy").first_loss == NEVER);
    CHECK(series_json(f.state, 3600)["availability_pct"] == Json::parse("[[0,100],[3600,75]]"));
    CHECK(Json::parse(f.state.assets_json("cert-gov"))["services"][1] ==
          Json::parse(R"({"service":"gov-email","status":"down"})"));

    f.event(5400, RecordType::service_status, "service:gov-email", R"({"status":"up","reason":""})",
            to_teams({"cert-gov"}));
    CHECK(f.state.service_status(email) == "up");
    CHECK(f.state.availability(email, 7200) == 0.75);
    CHECK(f.service_kpis(7200, "gov-email").downtime == 1800);
    CHECK(f.state.team_facts("cert-gov").recovered == 5400);
    CHECK(f.service_kpis(7200, "gov-email").availability == 0.75);
    CHECK(series_json(f.state, 5400)["availability_pct"] == Json::parse("[[0,100],[3600,75],[5400,100]]"));

    // a probed service: its status is ground truth, its availability follows what the probes measure
    const Index web = Fold::service("gov-website");
    f.event(6000, RecordType::service_status, "service:gov-website", R"({"status":"down","reason":"node gov-web"})",
            to_teams({"cert-gov"}));
    CHECK(f.state.service_status(web) == "down");
    CHECK(f.state.probe_status(web) == "up");
    CHECK(f.state.availability(web, 7200) == 1);
    CHECK(f.service_kpis(7200, "gov-website").downtime == 1200);
    CHECK(f.truth(7200)["services"][0]["status"] == "down");
  }

  TEST_CASE("probe_status")
  {
    Fold f;
    const Index web = Fold::service("gov-website");
    CHECK(f.state.availability(web, 60.016) == 1);
    f.event(60.016, RecordType::probe_status, "service:gov-website", R"({"status":"up","latency":0.016,"reason":"ok"})",
            to_teams({"cert-gov"}));
    CHECK(f.state.probe_status(web) == "up");
    CHECK(f.state.availability(web, 3663.188) == 1);
    f.event(3663.188, RecordType::probe_status, "service:gov-website",
            R"({"status":"degraded","latency":3.188,"reason":"slow"})", to_teams({"cert-gov"}));
    CHECK(f.state.probe_status(web) == "degraded");
    CHECK(f.state.service_status(web) == "up"); // ground truth is another record
    CHECK(series_json(f.state, 3663.188)["availability_pct"] == Json::parse("[[0,100],[3663.188,87.5]]"));
    f.event(7200.016, RecordType::probe_status, "service:gov-website",
            R"({"status":"up","latency":0.016,"reason":"ok"})", to_teams({"cert-gov"}));
    CHECK(f.state.probe_status(web) == "up");
    // measured from the first probe on, degraded counting half
    const double expected = ((3663.188 - 60.016) + 0.5 * (7200.016 - 3663.188) + (9000 - 7200.016)) / (9000 - 60.016);
    CHECK(f.state.availability(web, 9000) == expected);
    const ServiceKpis k = f.service_kpis(9000, "gov-website");
    CHECK(k.probed);
    CHECK(k.availability == expected);
    CHECK(k.degraded == 7200.016 - 3663.188);
    CHECK(k.unavailable == 0);
    CHECK(k.downtime == 0);
    CHECK(series_json(f.state, 7200.016)["availability_pct"] ==
          Json::parse("[[0,100],[3663.188,87.5],[7200.016,100]]"));
  }

  // ------------------------------------------------------------------------------------------------------------------
  // Team actions

  TEST_CASE("action_started")
  {
    Fold f;
    CHECK(f.team("cert-gov")["actions"] == Json::array());
    f.event(3000, RecordType::action_started, "team:cert-gov",
            R"({"action":"isolate","target":"node:gov-fs","effective_at":3300.0})", to_teams({"cert-gov"}));
    CHECK(f.team("cert-gov")["actions"] ==
          Json::parse(R"([{"action":"isolate","target":"node:gov-fs","effective_at":3300.0,"time":3000.0}])"));
    CHECK(f.team("cert-energy")["actions"] == Json::array());
  }

  TEST_CASE("node_isolated")
  {
    Fold f;
    compromise_ws3(f);
    f.event(3500, RecordType::action_started, "team:cert-gov",
            R"({"action":"isolate","target":"node:gov-ws-3","effective_at":3800.0})", to_teams({"cert-gov"}));
    CHECK_FALSE(f.node_state("gov-ws-3").isolated);
    CHECK(f.state.team_facts("cert-gov").contained == NEVER);
    f.event(3800, RecordType::node_isolated, "node:gov-ws-3", R"({"team":"cert-gov"})", to_teams({"cert-gov"}));
    CHECK(f.node_state("gov-ws-3").isolated);
    CHECK(f.asset("cert-gov", "gov-ws-3")["isolated"] == true);
    CHECK(f.truth_node(3800, "gov-ws-3")["isolated"] == true);
    CHECK(f.state.compromised_nodes() == std::vector<std::string>{"gov-ws-3"}); // still held
    CHECK(f.state.team_facts("cert-gov").contained == NEVER); // containment is the engine's campaign_contained
  }

  TEST_CASE("node_reconnected")
  {
    Fold f;
    compromise_ws3(f);
    f.event(3800, RecordType::node_isolated, "node:gov-ws-3", R"({"team":"cert-gov"})", to_teams({"cert-gov"}));
    CHECK(f.asset("cert-gov", "gov-ws-3")["isolated"] == true);
    f.event(5000, RecordType::node_reconnected, "node:gov-ws-3", R"({"team":"cert-gov"})", to_teams({"cert-gov"}));
    CHECK_FALSE(f.node_state("gov-ws-3").isolated);
    CHECK(f.asset("cert-gov", "gov-ws-3")["isolated"] == false);
    CHECK(f.truth_node(5000, "gov-ws-3")["isolated"] == false);
  }

  TEST_CASE("indicator_blocked")
  {
    Fold f;
    CHECK(f.truth(4200)["blocked"] == Json::array());
    f.event(4200, RecordType::indicator_blocked, "indicator:ioc-c2",
            R"({"team":"cert-gov","value":"update-check.example.net"})", to_teams({"cert-gov"}));
    CHECK(f.truth(4200)["blocked"] == Json::parse(R"([{"indicator":"ioc-c2","teams":["cert-gov"]}])"));
    f.event(5000, RecordType::indicator_blocked, "indicator:ioc-c2",
            R"({"team":"cert-energy","value":"update-check.example.net"})", to_teams({"cert-energy"}));
    CHECK(f.truth(5000)["blocked"] == Json::parse(R"([{"indicator":"ioc-c2","teams":["cert-gov","cert-energy"]}])"));
  }

  TEST_CASE("node_patched")
  {
    Fold f;
    CHECK(f.node_state("gov-ws-1").patched.empty());
    f.event(7200, RecordType::node_patched, "node:gov-ws-1", R"({"team":"cert-gov","vulnerability":"CVE-2011-0611"})",
            to_teams({"cert-gov"}));
    CHECK(f.node_state("gov-ws-1").patched == std::vector<std::string>{"CVE-2011-0611"});
    CHECK(f.truth_node(7200, "gov-ws-1")["patched"] == Json::parse(R"(["CVE-2011-0611"])"));
    CHECK(f.node_state("gov-ws-2").patched.empty());
  }

  TEST_CASE("credentials_reset")
  {
    // Counted only: the foothold_lost that follows (for footholds without persistence) says what changed.
    Fold f;
    compromise_ws3(f);
    check_counted_only(f, 5000, RecordType::credentials_reset, "node:gov-ws-3",
                       R"({"team":"cert-gov","credentials":["gov-user"]})", to_teams({"cert-gov"}));
  }

  TEST_CASE("node_offline")
  {
    Fold f;
    compromise_ws3(f);
    // a restore removes the footholds first, then takes the node offline
    f.event(4000, RecordType::foothold_lost, "node:gov-ws-3",
            R"({"campaign":"apt-docs","reason":"restored from backup"})");
    CHECK_FALSE(f.node_state("gov-ws-3").offline);
    CHECK(f.asset("cert-gov", "gov-ws-3")["down"] == false);
    f.event(4000, RecordType::node_offline, "node:gov-ws-3", R"({"team":"cert-gov","until":11200.0})",
            to_teams({"cert-gov"}));
    CHECK(f.node_state("gov-ws-3").offline);
    CHECK(f.asset("cert-gov", "gov-ws-3")["down"] == true);
    CHECK(f.truth_node(4000, "gov-ws-3")["offline"] == true);
  }

  TEST_CASE("node_restored")
  {
    Fold f;
    compromise_fs(f);
    f.event(8000, RecordType::node_encrypted, "node:gov-fs", R"({"campaign":"apt-docs"})");
    f.event(8600, RecordType::foothold_lost, "node:gov-fs",
            R"({"campaign":"apt-docs","reason":"restored from backup"})");
    f.event(8600, RecordType::node_offline, "node:gov-fs", R"({"team":"cert-gov","until":15800.0})",
            to_teams({"cert-gov"}));
    CHECK(f.node_state("gov-fs").offline);
    CHECK(f.asset("cert-gov", "gov-fs")["down"] == true);
    f.event(15800, RecordType::node_restored, "node:gov-fs", "{}", to_teams({"cert-gov"}));
    CHECK_FALSE(f.node_state("gov-fs").offline);
    CHECK_FALSE(f.node_state("gov-fs").encrypted);
    CHECK(f.asset("cert-gov", "gov-fs")["down"] == false);
    CHECK(f.truth_node(15800, "gov-fs").is_null()); // back as the scenario describes it
  }

  TEST_CASE("unit_manual")
  {
    // Counted only: the unit_output that follows says the unit runs in manual mode and what it delivers.
    Fold f;
    f.event(15000, RecordType::action_started, "team:cert-energy",
            R"({"action":"manual_operations","target":"node:plc-1","effective_at":15900.0})",
            to_teams({"cert-energy"}));
    check_counted_only(f, 15900, RecordType::unit_manual, "node:gen-1", R"({"team":"cert-energy","capacity":0.6})",
                       to_teams({"cert-energy"}));
  }

  TEST_CASE("service_shutdown")
  {
    // Counted only: the service_status that follows says the service is down.
    Fold f;
    check_counted_only(f, 10800, RecordType::service_shutdown, "service:gov-email", R"({"team":"cert-gov"})",
                       to_teams({"cert-gov"}));
  }

  TEST_CASE("service_restored")
  {
    // Counted only, as service_shutdown.
    Fold f;
    f.event(10800, RecordType::service_shutdown, "service:gov-email", R"({"team":"cert-gov"})", to_teams({"cert-gov"}));
    check_counted_only(f, 12000, RecordType::service_restored, "service:gov-email", R"({"team":"cert-gov"})",
                       to_teams({"cert-gov"}));
  }

  TEST_CASE("breaker_closed")
  {
    // Counted only: the load_restored or unit_output that follows says what the closed breakers give back.
    Fold f;
    check_counted_only(f, 9000, RecordType::breaker_closed, "node:sub-city", R"({"team":"cert-energy"})",
                       to_teams({"cert-energy"}));
  }

  TEST_CASE("backup_refuelled")
  {
    // Counted only: the engine moves the backup's end; the backup_exhausted that comes (or not) is what changes.
    Fold f;
    check_counted_only(f, 12600, RecordType::backup_refuelled, "dependency:pump-needs-power",
                       R"({"team":"cert-energy","extends":7200.0,"until":25200.0})", to_teams({"cert-energy"}));
    // of a dependency not lost: nothing to move
    CHECK_FALSE(f.state.dependency_loss("pump-needs-power").has_value());
    // of a lost one: its backup now runs dry at "until", not at the loss + "backup"
    f.event(14678.001, RecordType::dependency_lost, "dependency:pump-needs-power",
            R"({"dependent":"service:water-supply","on":"node:sub-city","backup":7200.0})");
    f.event(18000, RecordType::backup_refuelled, "dependency:pump-needs-power",
            R"({"team":"cert-energy","extends":7200.0,"until":29078.001})", to_teams({"cert-energy"}));
    const auto loss = f.state.dependency_loss("pump-needs-power");
    REQUIRE(loss.has_value());
    CHECK(loss->lost == 14678.001);
    CHECK(loss->backup_until == 29078.001);
  }

  TEST_CASE("action_refused")
  {
    // Counted only: nothing happened, the record says why.
    Fold f;
    check_counted_only(f, 4200, RecordType::action_refused, "node:gov-fs",
                       R"({"team":"cert-gov","action":"restore","reason":"no backup to restore from: its backup on )"
                       R"(gov-dc was destroyed"})",
                       to_teams({"cert-gov"}));
  }

  TEST_CASE("public_statement")
  {
    // Listed in public_statements() in record order, time rounded as the journal writes it; nothing else changes.
    Fold f;
    CHECK(f.state.public_statements().empty());
    check_counted_only(f, 1020.0004, RecordType::public_statement, "team:cert-gov",
                       R"({"kind":"press_statement","text":"We are investigating."})",
                       Audience{Audience::Kind::all, {}});
    f.event(1500, RecordType::public_statement, "team:cert-energy",
            R"({"kind":"public_advisory","text":"Boil water."})", Audience{Audience::Kind::all, {}});
    const auto& said = f.state.public_statements();
    REQUIRE(said.size() == 2);
    CHECK(said[0].time == 1020);
    CHECK(said[0].team == "cert-gov");
    CHECK(said[0].kind == "press_statement");
    CHECK(said[0].text == "We are investigating.");
    CHECK(said[1].team == "cert-energy");
    CHECK(said[1].kind == "public_advisory");
    CHECK(said[1].text == "Boil water.");
    ExerciseState copy = f.state; // a copy (what-if, snapshots) keeps them
    CHECK(copy.public_statements().size() == 2);
  }

  TEST_CASE("filtering_started")
  {
    // Counted only: what the filtering changes comes as the probe_status records of the flood's target.
    Fold f;
    check_counted_only(f, 330, RecordType::filtering_started, "node:gov-web",
                       R"({"team":"cert-gov","mode":"scrubbing","capacity":100000000,"offered":125000000,)"
                       R"("passed":25000000})",
                       to_teams({"cert-gov"}));
  }

  TEST_CASE("filtering_ended")
  {
    Fold f;
    check_counted_only(f, 450, RecordType::filtering_ended, "node:gov-web",
                       R"({"team":"cert-gov","mode":"scrubbing","reason":"stopped"})", to_teams({"cert-gov"}));
  }

  TEST_CASE("backup_destroyed")
  {
    // The store's node says so in the truth; nothing else changes.
    Fold f;
    CHECK(f.truth_node(1800, "gov-fs").is_null());
    f.event(1800, RecordType::backup_destroyed, "node:gov-fs",
            R"({"campaign":"apt-docs","technique":"T1490","backs_up":["gov-ws-1"]})");
    CHECK(f.node_state("gov-fs").backup_destroyed);
    CHECK(f.truth_node(1800, "gov-fs")["backup_destroyed"] == true);
    CHECK(f.truth_node(1800, "gov-fs")["compromised"] == false);
  }

  // networked grids (issue 15): the network's own records are counted only; what they change comes as the
  // node_status, load_lost, unit_output and grid_balance records that follow them

  TEST_CASE("branch_tripped")
  {
    Fold f;
    check_counted_only(f, 3750, RecordType::branch_tripped, "branch:grid-north/l23",
                       R"({"grid":"grid-north","flow_mw":-70.0,"loading_pct":140.0,"pickup":1.0,"delay":150.0,)"
                       R"("overloaded_at":3600.0,"cause":"protection","after":"branch:grid-north/l12 opened"})",
                       to_teams({"cert-energy"}));
  }

  TEST_CASE("breaker_opened")
  {
    Fold f;
    check_counted_only(f, 3600, RecordType::breaker_opened, "branch:grid-north/l12",
                       R"({"grid":"grid-north","campaign":"grid-attack","by":"plc-1"})", to_teams({"cert-energy"}));
  }

  TEST_CASE("island_formed")
  {
    Fold f;
    check_counted_only(f, 3750, RecordType::island_formed, "grid:grid-north",
                       R"({"grid":"grid-north","buses":["n2"],"generation_mw":50.0,"load_mw":50.0,"shed_mw":60.0,)"
                       R"("cause":"branch:grid-north/l23 tripped"})",
                       to_teams({"cert-energy"}));
  }

  TEST_CASE("island_merged")
  {
    Fold f;
    check_counted_only(f, 10800, RecordType::island_merged, "grid:grid-north",
                       R"({"grid":"grid-north","buses":["n1","n2"],"generation_mw":160.0,"load_mw":160.0,)"
                       R"("shed_mw":0.0,"cause":"branch:grid-north/l12 closed"})",
                       to_teams({"cert-energy"}));
  }

  TEST_CASE("load_shed")
  {
    Fold f;
    check_counted_only(f, 3750, RecordType::load_shed, "load:grid-north/load-5",
                       R"({"grid":"grid-north","bus":"bus-5","mw":90.0,"customers":0,"priority":0,)"
                       R"("cause":"under-frequency","after":"branch:grid-north/l23 tripped"})",
                       to_teams({"cert-energy"}));
  }

  TEST_CASE("setpoint_changed")
  {
    Fold f;
    check_counted_only(f, 3600, RecordType::setpoint_changed, "node:unit-1",
                       R"({"grid":"grid-north","setpoint_mw":10.0,"campaign":"grid-attack","by":"plc-1"})",
                       to_teams({"cert-energy"}));
  }

  TEST_CASE("grid_balance of a networked grid: MW shed and overloaded branches")
  {
    // the KPIs the dashboard charts: shed_mw and overloaded per grid and over time; a v1 grid_balance has neither
    Fold f;
    f.event(0, RecordType::grid_balance, "grid:grid-north",
            R"({"available":370.0,"demand":300.0,"lost_mw":0.0,"customers_lost":0})", to_teams({"cert-energy"}));
    CHECK(f.state.shed_mw("") == 0);
    CHECK(f.state.series(0).mw_shed.empty());
    f.event(3600, RecordType::grid_balance, "grid:grid-north",
            R"({"available":450.0,"demand":160.0,"lost_mw":0.0,"customers_lost":0,"shed_mw":0.0,"overloaded":1,)"
            R"("islands":1})",
            to_teams({"cert-energy"}));
    CHECK(f.state.overloaded_branches("grid-north") == 1);
    f.event(3750, RecordType::grid_balance, "grid:grid-north",
            R"({"available":450.0,"demand":160.0,"lost_mw":60.0,"customers_lost":30000,"shed_mw":60.0,)"
            R"("overloaded":0,"islands":2})",
            to_teams({"cert-energy"}));
    CHECK(f.state.shed_mw("grid-north") == 60);
    CHECK(f.state.shed_mw("") == 60);
    CHECK(f.state.shed_mw("other") == 0);
    CHECK(f.state.overloaded_branches("") == 0);
    const KpiHistory h = f.state.series(3750);
    CHECK(h.mw_shed == std::vector<std::pair<double, double>>{{3600, 0}, {3750, 60}});
    CHECK(h.overloaded_branches == std::vector<std::pair<double, double>>{{3600, 1}, {3750, 0}});
  }

  TEST_CASE("message")
  {
    SUBCASE("a team's message (delivery)")
    {
      Fold f;
      start_apt(f);
      f.event(600, RecordType::step_started, "campaign:apt-docs",
              R"({"step":"phish","technique":"T1566.001","source":"inet","target":"gov-ws-3","attempt":1,)"
              R"("duration":1200.0})");
      deliver_inj01(f);
      f.event(1800, RecordType::step_attempt, "campaign:apt-docs",
              R"({"step":"phish","technique":"T1566.001","target":"gov-ws-3","attempt":1,"outcome":"failure"})");
      f.event(2555.981, RecordType::alert, "team:cert-gov",
              R"({"sensor":"gov-mailgw","kind":"av","technique":"T1566.001","node":"gov-ws-3",)"
              R"("indicators":["ioc-mail","ioc-hash"]})",
              to_teams({"cert-gov"}));
      CHECK_FALSE(f.state.team_knows("cert-energy", "ioc-hash"));
      CHECK_FALSE(f.in_inbox("cert-energy", "msg-1"));
      CHECK(f.state.team_facts("cert-gov").first_share == NEVER);
      const std::uint64_t events = f.state.kpis(2700).events;
      f.delivery(2700, RecordType::message, "team:cert-gov",
                 R"({"item":"msg-1","from":"cert-gov","to":["cert-energy"],"subject":"","text":"summit phishing",)"
                 R"("indicators":["ioc-hash"]})",
                 to_teams({"cert-gov", "cert-energy"}));
      CHECK(f.state.team_knows("cert-energy", "ioc-hash"));
      CHECK(f.read_at("cert-energy", "msg-1") == NEVER);
      const Json inbox = f.inbox("cert-energy");
      REQUIRE(inbox.size() == 2); // inj-01, msg-1
      CHECK(inbox[1] ==
            Json::parse(R"({"item":"msg-1","kind":"message","time":2700.0,"from":"cert-gov","channel":"","title":"",)"
                        R"("content":"summit phishing","indicators":["ioc-hash"],"read":false})"));
      CHECK_FALSE(f.in_inbox("cert-gov", "msg-1"));
      CHECK(f.state.team_facts("cert-gov").first_share == 2700);
      CHECK(f.state.team_facts("cert-energy").first_share == NEVER);
      CHECK(f.metric(2700, "cert-gov", "time_to_share").value == 144.02);
      CHECK(f.state.kpis(2700).events == events); // a delivery is no world event
    }
    SUBCASE("a share through the engine (event)")
    {
      Fold f;
      f.event(3000, RecordType::message, "team:cert-gov",
              R"({"action":"communicate","to":["cert-energy"],"indicators":[],"text":"call us"})");
      CHECK(f.state.team_facts("cert-gov").first_share == NEVER); // no indicators: no share
      f.event(3600, RecordType::message, "team:cert-gov",
              R"({"action":"share","to":["cert-energy"],"indicators":["ioc-mail"],"text":"summit phishing"})");
      CHECK(f.state.team_facts("cert-gov").first_share == 3600);
      CHECK(f.state.kpis(3600).events == 2);
    }
  }

  // ------------------------------------------------------------------------------------------------------------------
  // Deliveries

  TEST_CASE("inject")
  {
    SUBCASE("to player teams")
    {
      Fold f;
      f.exercise(900, RecordType::inject_released, "inject:inj-01", R"({"inject":"inj-01","reason":"time"})");
      CHECK(f.inject("inj-01")["status"] == "scheduled");
      CHECK(f.inject("inj-01")["due"] == 900.0);
      CHECK_FALSE(f.inject("inj-01").contains("delivered"));
      CHECK_FALSE(f.in_inbox("cert-gov", "inj-01"));
      CHECK_FALSE(f.state.team_knows("cert-energy", "ioc-mail"));
      f.delivery(900, RecordType::inject, "inject:inj-01", inj01, to_teams({"cert-gov", "cert-energy"}));
      CHECK(f.inject("inj-01")["status"] == "delivered");
      CHECK(f.inject("inj-01")["delivered"] == 900.0);
      CHECK(f.inject("inj-01")["indicators"] == Json::parse(R"(["ioc-mail"])"));
      const Json item = Json::parse(
          R"({"item":"inj-01","kind":"inject","time":900.0,"from":"Press agency","channel":"news",)"
          R"("title":"Phishing wave mimics EU summit invitations","content":"Several ministries report e-mails from )"
          R"(press-office@eu-summit.example carrying a PDF attachment.","indicators":["ioc-mail"],"read":false})");
      CHECK(f.inbox("cert-gov") == Json::array({item}));
      CHECK(f.inbox("cert-energy") == Json::array({item}));
      CHECK(f.state.team_knows("cert-gov", "ioc-mail"));
      CHECK(f.state.team_knows("cert-energy", "ioc-mail"));
    }
    SUBCASE("hidden: to control only")
    {
      Fold f;
      f.exercise(14378.001, RecordType::inject_triggered, "inject:inj-04", R"({"inject":"inj-04","due":14378.001})");
      f.exercise(14378.001, RecordType::inject_released, "inject:inj-04", R"({"inject":"inj-04","reason":"trigger"})");
      f.delivery(14378.001, RecordType::inject, "inject:inj-04",
                 R"({"inject":"inj-04","type":"facilitation","channel":"controller-note","from":"Exercise Control",)"
                 R"("to":["white-cell"],"title":"PLC reached","content":"The adversary controls plc-1; expect unit 1 )"
                 R"(to trip within minutes.","indicators":[]})",
                 control_only);
      CHECK(f.inject("inj-04")["status"] == "delivered");
      CHECK(f.inbox("cert-gov") == Json::array());
      CHECK(f.inbox("cert-energy") == Json::array());
    }
    SUBCASE("created by the controller, with an expiry")
    {
      // The inject_created record has no expiry (the session writes expires_at once delivered): the delivery's
      // expires_at gives it.
      Fold f;
      f.exercise(5000, RecordType::inject_created, "inject:intel-02",
                 R"({"inject":"intel-02","type":"inject","channel":"phone","from":"White Cell","to":["cert-gov"],)"
                 R"("title":"Call back","content":"Call the partner service back.","indicators":[],"status":"waiting",)"
                 R"("hidden":false,"move":"move-1","triggered":false,"created":true,"expectations":[]})");
      f.exercise(5000, RecordType::inject_released, "inject:intel-02",
                 R"({"inject":"intel-02","reason":"controller"})");
      CHECK_FALSE(f.inject("intel-02").contains("expires_at"));
      f.delivery(5000, RecordType::inject, "inject:intel-02",
                 R"({"inject":"intel-02","type":"inject","channel":"phone","from":"White Cell","to":["cert-gov"],)"
                 R"("title":"Call back","content":"Call the partner service back.","indicators":[],)"
                 R"("expires_at":8600.0})",
                 to_teams({"cert-gov"}));
      CHECK(f.inject("intel-02")["status"] == "delivered");
      CHECK(f.inject("intel-02")["expires_at"] == 8600.0);
      CHECK(Json::parse(f.state.inject_json("intel-02", false))["expires_at"] == 8600.0);
      CHECK(f.in_inbox("cert-gov", "intel-02"));
    }
  }

  TEST_CASE("inject_expired")
  {
    Fold f;
    deliver_inj01(f);
    f.exercise(3700, RecordType::inject_triggered, "inject:inj-06", R"({"inject":"inj-06","due":3700.0})");
    f.exercise(3700, RecordType::inject_released, "inject:inj-06", R"({"inject":"inj-06","reason":"trigger"})");
    f.delivery(
        3700, RecordType::inject, "inject:inj-06",
        R"({"inject":"inj-06","type":"inject","channel":"social-media","from":"Citizens","to":["cert-gov"],)"
        R"("title":"Web site unreachable","content":"Citizens complain that the agency web site does not load.",)"
        R"("indicators":[],"expires_at":10900.0})",
        to_teams({"cert-gov"}));
    CHECK(f.inject("inj-06")["status"] == "delivered");
    CHECK(f.inject("inj-06")["expires_at"] == 10900.0);
    CHECK_FALSE(f.inbox("cert-gov")[1].contains("expired"));
    f.delivery(10900, RecordType::inject_expired, "inject:inj-06", R"({"inject":"inj-06"})", to_teams({"cert-gov"}));
    CHECK(f.inject("inj-06")["status"] == "expired");
    CHECK(f.inject("inj-06")["expires_at"] == 10900.0);
    CHECK(f.inbox("cert-gov")[1]["item"] == "inj-06");
    CHECK(f.inbox("cert-gov")[1]["expired"] == true);
    CHECK_FALSE(f.inbox("cert-gov")[0].contains("expired")); // inj-01 does not expire
    CHECK(f.inject("inj-01")["status"] == "delivered");
  }

  // ------------------------------------------------------------------------------------------------------------------
  // The exercise

  TEST_CASE("clock")
  {
    Fold f;
    CHECK(f.control(0)["clock"]["state"] == "ready");
    f.exercise(0, RecordType::clock, "exercise:tutorial",
               R"({"state":"running","time":0.0,"speed":1.0,"duration":28800.0,"move":"move-1","from":"ready",)"
               R"("reason":"start"})",
               everyone);
    // the White Cell's clock also says the next inject due: the tutorial's inj-01 at H+0 M+15 = 900 s (inj-05 at
    // 4 h comes later; the others wait for triggers); an observer's does not
    CHECK(f.control(0)["clock"] ==
          Json::parse(
              R"({"state":"running","time":0.0,"speed":1.0,"duration":28800.0,"move":"move-1","next_inject":900.0})"));
    CHECK(Json::parse(f.state.to_json(600, observer))["clock"]["state"] == "running");
    CHECK(!Json::parse(f.state.to_json(600, observer))["clock"].contains("next_inject"));
    f.exercise(600, RecordType::clock, "exercise:tutorial",
               R"({"state":"running","time":600.0,"speed":60.0,"duration":28800.0,"move":"move-1","reason":"speed"})",
               everyone);
    CHECK(f.control(600)["clock"]["speed"] == 60.0);
    // a player's metrics are withheld until the end
    CHECK(Json::parse(f.state.scores_json(28800, "cert-gov", false))[0]["metrics"].is_null());
    f.exercise(28800, RecordType::clock, "exercise:tutorial",
               R"({"state":"ended","time":28800.0,"speed":60.0,"duration":28800.0,"move":"move-2","from":"running",)"
               R"("reason":"duration reached"})",
               everyone);
    // ended: no next inject (inj-01 was never delivered in these hand-made records, and never will be)
    CHECK(f.control(28800)["clock"] ==
          Json::parse(R"({"state":"ended","time":28800.0,"speed":60.0,"duration":28800.0,"move":"move-2"})"));
    CHECK(Json::parse(f.state.scores_json(28800, "cert-gov", false))[0]["metrics"] == 100.0);
  }

  TEST_CASE("leaderboard")
  {
    Fold f;
    rate(f, 7200, "U", 0);
    CHECK(series_json(f.state, 7200)["scores"] == Json::array());
    Json board = Json::parse(f.state.leaderboard_json(7200, false));
    board["reason"] = "command";
    CHECK(board["teams"] == Json::parse(R"([{"rank":1,"team":"cert-energy","total":100.0,"expectations":null,)"
                                        R"("ratings":null,"metrics":100.0},{"rank":2,"team":"cert-gov","total":33.33,)"
                                        R"("expectations":null,"ratings":0.0,"metrics":100.0}])"));
    f.exercise(7200, RecordType::leaderboard, "exercise:tutorial", board.dump());
    CHECK(series_json(f.state, 7200)["scores"] ==
          Json::parse(R"([["cert-energy",[[7200,100]]],["cert-gov",[[7200,33.33]]]])"));
  }

  TEST_CASE("standings")
  {
    Fold f;
    rate(f, 2000, "P", 100);
    const Json initial = Json::parse(f.state.last_standings_json());
    CHECK(initial["time"] == 0.0);
    CHECK(initial["final"] == false);
    Json standings = Json::parse(f.state.leaderboard_json(3600, true));
    standings["final"] = false;
    standings["reason"] = "hour";
    f.exercise(3600, RecordType::standings, "exercise:tutorial", standings.dump(), everyone);
    CHECK(Json::parse(f.state.last_standings_json()) == standings);
    CHECK(Json::parse(f.state.to_json(3600, observer))["leaderboard"] == standings);
    CHECK(standings["teams"][0] == Json::parse(R"({"rank":1,"team":"cert-gov","total":100.0,"expectations":null,)"
                                               R"("ratings":100.0,"metrics":null})"));
    // the standings hold until the next one: a later rating moves the live leaderboard only
    rate(f, 4000, "U", 0);
    CHECK(Json::parse(f.state.last_standings_json()) == standings);
    CHECK(Json::parse(f.state.leaderboard_json(4000, false))["teams"][1]["team"] == "cert-gov");
  }

  TEST_CASE("read")
  {
    Fold f;
    deliver_inj01(f);
    CHECK(f.read_at("cert-gov", "inj-01") == NEVER);
    CHECK(f.inbox("cert-gov")[0]["read"] == false);
    f.exercise(2700, RecordType::read, "team:cert-gov", R"({"item":"inj-01","read_at":2700.0})",
               to_teams({"cert-gov"}));
    CHECK(f.read_at("cert-gov", "inj-01") == 2700);
    CHECK(f.inbox("cert-gov")[0]["read"] == true);
    CHECK(f.inbox("cert-gov")[0]["read_at"] == 2700.0);
    CHECK(f.read_at("cert-energy", "inj-01") == NEVER);
  }

  TEST_CASE("sitrep")
  {
    Fold f;
    CHECK(f.state.sitrep_count("cert-gov") == 0);
    const char* sitrep =
        R"({"time":5400.0,"team":"cert-gov","text":"Phishing on one workstation; investigating.","status":"amber"})";
    f.exercise(5400, RecordType::sitrep, "team:cert-gov", sitrep, to_teams({"cert-gov"}));
    CHECK(f.state.sitrep_count("cert-gov") == 1);
    CHECK(f.team("cert-gov")["sitreps"] == Json::array({Json::parse(sitrep)}));
    CHECK(f.state.sitrep_count("cert-energy") == 0);
  }

  TEST_CASE("inject_released")
  {
    // Counted only (records(), seq): the delivery record that follows says what changed.
    Fold f;
    const Json before = all_but_counts(f, 900);
    f.exercise(900, RecordType::inject_released, "inject:inj-01", R"({"inject":"inj-01","reason":"time"})");
    CHECK(f.state.records() == 1);
    CHECK(f.state.seq() == 1);
    CHECK(f.state.kpis(900).events == 0);
    CHECK(all_but_counts(f, 900) == before);
  }

  TEST_CASE("inject_triggered")
  {
    Fold f;
    compromise_fs(f);
    f.event(9660, RecordType::exfiltration_progress, "node:gov-fs",
            R"({"campaign":"apt-docs","bytes":120000000,"campaign_total":120000000})");
    CHECK(f.inject("inj-03")["status"] == "waiting");
    CHECK_FALSE(f.inject("inj-03").contains("due"));
    f.exercise(9660, RecordType::inject_triggered, "inject:inj-03", R"({"inject":"inj-03","due":9960.0})");
    CHECK(f.inject("inj-03")["status"] == "scheduled");
    CHECK(f.inject("inj-03")["due"] == 9960.0);
    CHECK(f.inject("inj-03")["triggered"] == true);
  }

  TEST_CASE("inject_delayed")
  {
    Fold f;
    CHECK(f.inject("inj-05")["status"] == "scheduled");
    CHECK(f.inject("inj-05")["due"] == 14400.0);
    f.exercise(7200, RecordType::inject_delayed, "inject:inj-05", R"({"inject":"inj-05","by":600.0})");
    CHECK(f.inject("inj-05")["status"] == "scheduled");
    CHECK(f.inject("inj-05")["due"] == 15000.0);
    // a triggered inject not yet fired: the delay is the session's; the inject_triggered record will carry its due
    f.exercise(7200, RecordType::inject_delayed, "inject:inj-03", R"({"inject":"inj-03","by":300.0})");
    CHECK(f.inject("inj-03")["status"] == "waiting");
    CHECK_FALSE(f.inject("inj-03").contains("due"));
  }

  TEST_CASE("inject_cancelled")
  {
    Fold f;
    CHECK(f.inject("inj-05")["status"] == "scheduled");
    f.exercise(7200, RecordType::inject_cancelled, "inject:inj-05", R"({"inject":"inj-05"})");
    CHECK(f.inject("inj-05")["status"] == "cancelled");
    CHECK(f.inject("inj-01")["status"] == "scheduled");
  }

  TEST_CASE("inject_created")
  {
    Fold f;
    CHECK(f.state.inject_json("intel-01", true) == "{}");
    CHECK(f.msel()["injects"].size() == 6);
    const char* created =
        R"({"inject":"intel-01","type":"inject","channel":"intelligence-report","from":"Partner intelligence service",)"
        R"("to":["cert-gov"],"title":"C2 domain of Grey Heron","content":"A partner service reports the C2 domain.",)"
        R"("indicators":["ioc-c2"],"status":"waiting","hidden":false,"move":"move-1","triggered":false,)"
        R"("created":true,"expectations":[]})";
    f.exercise(5000, RecordType::inject_created, "inject:intel-01", created);
    CHECK(f.inject("intel-01") == Json::parse(created));
    CHECK(f.msel()["injects"].size() == 7);
    CHECK(f.msel()["injects"][6]["inject"] == "intel-01");
    CHECK_FALSE(f.state.team_knows("cert-gov", "ioc-c2")); // not delivered yet
  }

  TEST_CASE("inject_skipped")
  {
    Fold f;
    CHECK(f.inject("inj-05")["status"] == "scheduled");
    f.exercise(14400, RecordType::inject_skipped, "inject:inj-05",
               R"({"inject":"inj-05","due":14400.0,"reason":"skip_if"})");
    CHECK(f.inject("inj-05")["status"] == "skipped");
    CHECK(f.inject("inj-01")["status"] == "scheduled");
    CHECK(f.msel()["injects"].size() == 6);
    // an inject already delivered is not skipped after the fact
    deliver_inj01(f);
    f.exercise(14400, RecordType::inject_skipped, "inject:inj-01",
               R"({"inject":"inj-01","due":900.0,"reason":"skip_if"})");
    CHECK(f.inject("inj-01")["status"] == "delivered");
  }

  TEST_CASE("expectation_active")
  {
    Fold f;
    deliver_inj01(f);
    CHECK(f.msel()["expectations"] == Json::array());
    f.exercise(900, RecordType::expectation_active, "expectation:exp-share", exp_share_pending);
    CHECK(f.msel()["expectations"] == Json::array({Json::parse(exp_share_pending)}));
    // pending: not counted yet
    CHECK_FALSE(f.score(900, "cert-gov").expectations);
    CHECK_FALSE(f.metric(900, "cert-gov", "expectations_met").applicable);
  }

  TEST_CASE("expectation_met")
  {
    Fold f;
    deliver_inj01(f);
    f.exercise(900, RecordType::expectation_active, "expectation:exp-share", exp_share_pending);
    CHECK_FALSE(f.score(2700, "cert-gov").expectations);
    const char* met =
        R"({"expectation":"exp-share","team":"cert-gov","inject":"inj-01","status":"met","activated":900.0,)"
        R"("deadline":4500.0,"decided":2700.0,"by":"trigger","points":1.0,"objective":"obj-share",)"
        R"("critical_task":"ct-share","description":"Share the phishing indicators with the utility."})";
    f.exercise(2700, RecordType::expectation_met, "expectation:exp-share", met);
    CHECK(f.msel()["expectations"] == Json::array({Json::parse(met)}));
    CHECK(f.score(2700, "cert-gov").expectations == 100);
    const MetricScore m = f.metric(2700, "cert-gov", "expectations_met");
    CHECK(m.value == 1);
    CHECK(m.score == 100);
    CHECK_FALSE(f.score(2700, "cert-energy").expectations);
  }

  TEST_CASE("expectation_missed")
  {
    Fold f;
    deliver_inj01(f);
    f.exercise(900, RecordType::expectation_active, "expectation:exp-share", exp_share_pending);
    const char* missed =
        R"({"expectation":"exp-share","team":"cert-gov","inject":"inj-01","status":"missed","activated":900.0,)"
        R"("deadline":4500.0,"decided":4500.0,"by":"deadline","points":1.0,"objective":"obj-share",)"
        R"("critical_task":"ct-share","description":"Share the phishing indicators with the utility."})";
    f.exercise(4500, RecordType::expectation_missed, "expectation:exp-share", missed);
    CHECK(f.msel()["expectations"] == Json::array({Json::parse(missed)}));
    CHECK(f.score(4500, "cert-gov").expectations == 0);
    const MetricScore m = f.metric(4500, "cert-gov", "expectations_met");
    CHECK(m.value == 0);
    CHECK(m.score == 0);
  }

  TEST_CASE("expectation_not_applicable")
  {
    Fold f;
    deliver_inj01(f);
    f.exercise(900, RecordType::expectation_active, "expectation:exp-share", exp_share_pending);
    const char* na =
        R"({"expectation":"exp-share","team":"cert-gov","inject":"inj-01","status":"not_applicable","activated":900.0,)"
        R"("deadline":4500.0,"decided":4500.0,"by":"premise","points":1.0,"objective":"obj-share",)"
        R"("critical_task":"ct-share","description":"Share the phishing indicators with the utility."})";
    f.exercise(4500, RecordType::expectation_not_applicable, "expectation:exp-share", na);
    CHECK(f.msel()["expectations"] == Json::array({Json::parse(na)}));
    // neither met nor missed: 0 points decided, so no expectations component and no expectations_met metric, where a
    // missed one gives 0 (expectation_missed above)
    CHECK_FALSE(f.score(4500, "cert-gov").expectations);
    CHECK_FALSE(f.metric(4500, "cert-gov", "expectations_met").applicable);
  }

  TEST_CASE("assessment")
  {
    Fold f;
    f.exercise(5000, RecordType::official_assessment, "incident:apt-docs",
               std::string(R"({"time":5000.0,"incident":"apt-docs","levels":)") + levels_official +
                   R"(,"score":58.5,"teams":[]})");
    CHECK_FALSE(f.state.assessment_score("cert-gov", "apt-docs"));
    CHECK(f.state.assessed_incidents("cert-gov") == 0);
    // once an official assessment exists the record carries the difference, for control only
    f.exercise(6000, RecordType::assessment, "team:cert-gov",
               std::string(R"({"time":6000.0,"incident":"apt-docs","levels":)") + levels_team +
                   R"(,"score":69.0,"team":"cert-gov","official":58.5,"difference":10.5})");
    CHECK(f.state.assessment_score("cert-gov", "apt-docs") == 69);
    CHECK(f.state.assessed_incidents("cert-gov") == 1);
    CHECK(f.team("cert-gov")["assessments"] ==
          Json{{"apt-docs", Json::parse(std::string(R"({"time":6000.0,"incident":"apt-docs","levels":)") + levels_team +
                                        R"(,"score":69.0,"team":"cert-gov"})")}});
    CHECK_FALSE(f.state.assessment_score("cert-energy", "apt-docs"));
    CHECK(f.state.official_score("apt-docs") == 58.5);
  }

  TEST_CASE("official_assessment")
  {
    Fold f;
    f.exercise(6000, RecordType::assessment, "team:cert-gov",
               std::string(R"({"time":6000.0,"incident":"apt-docs","levels":)") + levels_team +
                   R"(,"score":69.0,"team":"cert-gov"})");
    CHECK_FALSE(f.state.official_score("apt-docs"));
    CHECK(f.state.official_assessments() == 0);
    CHECK(f.control(7000)["official_assessments"] == Json::object());
    const std::string official = std::string(R"({"time":7000.0,"incident":"apt-docs","levels":)") + levels_official +
                                 R"(,"score":58.5,"teams":[{"team":"cert-gov","score":69.0,"difference":10.5}]})";
    f.exercise(7000, RecordType::official_assessment, "incident:apt-docs", official);
    CHECK(f.state.official_score("apt-docs") == 58.5);
    CHECK(f.state.official_assessments() == 1);
    CHECK(f.control(7000)["official_assessments"] == Json{{"apt-docs", Json::parse(official)}});
    CHECK(f.state.assessment_score("cert-gov", "apt-docs") == 69);
  }

  TEST_CASE("observation")
  {
    Fold f;
    CHECK(f.control(5400)["observations"] == Json::array());
    const char* observation =
        R"({"time":5400.0,"by":"evaluator","team":"cert-gov","objective":"obj-share","critical_task":"ct-share",)"
        R"("text":"Shared the phishing indicators within 20 minutes.","kind":"strength"})";
    f.exercise(5400, RecordType::observation, "team:cert-gov", observation);
    CHECK(f.control(5400)["observations"] == Json::array({Json::parse(observation)}));
    CHECK(f.team("cert-gov").dump().find("20 minutes") == std::string::npos); // control's, not the team's
  }

  TEST_CASE("rating")
  {
    Fold f;
    CHECK_FALSE(f.score(7200, "cert-gov").ratings);
    CHECK(f.control(7200)["ratings"] == Json::array());
    const char* s = R"({"team":"cert-gov","objective":"obj-share","critical_task":"ct-share","rating":"S",)"
                    R"("value":70.0,"text":"Shared, by phone first.","by":"evaluator"})";
    f.exercise(7200, RecordType::rating, "team:cert-gov", s);
    CHECK(f.score(7200, "cert-gov").ratings == 70);
    CHECK(f.control(7200)["ratings"] == Json::array({Json::parse(s)}));
    CHECK_FALSE(f.score(7200, "cert-energy").ratings);
    // the latest rating of a critical task counts
    rate(f, 9000, "P", 100);
    CHECK(f.score(9000, "cert-gov").ratings == 100);
    CHECK(f.control(9000)["ratings"].size() == 2);
  }

  // ------------------------------------------------------------------------------------------------------------------
  // The vocabulary

  TEST_CASE("every record type has a name and a test")
  {
    CHECK(tested_types.size() == record_type_count);
    for (std::size_t i = 0; i < record_type_count; ++i) {
      const auto type = static_cast<RecordType>(i);
      const std::string name = to_string(type);
      CAPTURE(name);
      CHECK_FALSE(name.empty());
      const auto back = record_type_from_string(name);
      CHECK(back.has_value());
      CHECK((back && *back == type));
      const auto listed = std::count(tested_types.begin(), tested_types.end(), type);
      CHECK_MESSAGE(listed == 1, "record type '" << name << "' is listed " << listed
                                                 << " times in tested_types (state_records_test.cpp): give it a "
                                                    "TEST_CASE(\""
                                                 << name << "\") and list it once");
    }
    CHECK_FALSE(record_type_from_string("no_such_type"));
    CHECK_FALSE(record_type_from_string(""));
  }
}

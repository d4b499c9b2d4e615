/* cyberex — the scenario model: plain C++ structs, filled by the scenario loader, read by every other part.
 *
 * Units inside the model are SI and fixed: time in seconds (relative to the exercise start), data in bytes,
 * bandwidth in bytes per second (as SimGrid), power in megawatts. Every entity has a string id that is unique
 * within its kind; cross references are kept as ids here and resolved to indices by the loader (the *_index
 * fields), so later stages never search by name. */
#pragma once

#include <cstdint>
#include <limits>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace cyberex {

namespace power {
struct Network; // cyberex/powerflow.hpp
}

inline constexpr int SCENARIO_FORMAT_VERSION = 1;
inline constexpr double NEVER = std::numeric_limits<double>::infinity();
using Index = std::int32_t;
inline constexpr Index NO_INDEX = -1;

/// A place in a source file: for diagnostics, and so that later stages can point back at the scenario.
struct Origin {
  std::string file;    ///< path as given to the loader (or as included)
  std::string pointer; ///< JSON pointer inside that file, e.g. "/nodes/3/site"
};

// ---------------------------------------------------------------------------------------------------------------
// Exercise

struct Move {
  std::string id;
  std::string title;
  std::string description;
  double offset = 0;          ///< seconds from exercise start
  std::string situation_time; ///< ISO 8601 date-time of the story at the start of the move
};

struct Exercise {
  std::string id;
  std::string title;
  std::string description;
  std::string start;    ///< ISO 8601 local date-time of the exercise start, e.g. "2011-11-03T09:00:00"
  std::string timezone; ///< IANA name, e.g. "Europe/Brussels"
  double duration = 0;  ///< seconds
  std::uint64_t seed = 1;
  std::vector<Move> moves;
};

// ---------------------------------------------------------------------------------------------------------------
// Organisations and teams

enum class TeamRole { player, white_cell, evaluator, observer };

struct Organisation {
  std::string id;
  std::string name;
  std::string country; ///< ISO 3166 alpha-2, or "EU", "INT"
  std::string sector;  ///< government, energy, telecom, finance, water, transport, health, ...
  Origin origin;
};

struct Team {
  std::string id;
  std::string name;
  std::string organisation;
  Index organisation_index = NO_INDEX;
  TeamRole role = TeamRole::player;
  std::vector<std::string> assets; ///< selectors ("site:x", "node:y", "service:z", "kind:plc site:x")
  std::vector<Index> asset_nodes;  ///< resolved, sorted node indices the team owns and defends
  Origin origin;
};

// ---------------------------------------------------------------------------------------------------------------
// Infrastructure

struct GeoPoint {
  double lat = 0;
  double lon = 0;
};

struct Zone {
  std::string id; ///< unique within its site
  std::string name;
  std::optional<int> purdue; ///< Purdue level 0..5 for ICS zones (3.5 is written as 35 → not allowed: use 3)
};

struct Site {
  std::string id;
  std::string name;
  std::string organisation;
  Index organisation_index = NO_INDEX;
  std::string sector;
  std::string country;
  std::optional<GeoPoint> location;
  std::vector<Zone> zones;
  double lan_bandwidth = 125e6; ///< default for node uplinks, bytes/s (1 Gb/s)
  double lan_latency = 1e-4;    ///< default for node uplinks, seconds
  Origin origin;
};

enum class NodeKind {
  workstation,
  server,
  domain_controller,
  mail_server,
  web_server,
  dns_server,
  file_server,
  database,
  firewall,
  router,
  switch_,
  vpn_gateway,
  plc,
  rtu,
  hmi,
  historian,
  engineering_workstation,
  scada_server,
  generation_unit,
  substation,
  pumping_station,
  sensor_node,
  internet,
  attacker
};

enum class Criticality { low, medium, high, critical };

/// How a generation unit starts again after a trip (docs/engine.md, "Power and SCADA"): a hot start (boiler and
/// turbine still warm) or a cold start. Each has a default restart time that a unit's `restart_time` overrides.
enum class UnitStart { hot, cold };
constexpr double HOT_START_SECONDS = 3600;   ///< default restart time of a hot start: 1 h
constexpr double COLD_START_SECONDS = 21600; ///< default restart time of a cold start: 6 h
enum class Access { none, user, admin, system };

struct Vulnerability {
  std::string id;                      ///< CVE or local id
  std::vector<std::string> techniques; ///< ATT&CK ids this vulnerability enables (empty: any)
  double exploitability = 1;           ///< multiplies a step's success probability
};

struct Node {
  std::string id;
  std::string name;
  std::string site;
  Index site_index = NO_INDEX;
  std::string zone; ///< zone id inside the site, empty if none
  NodeKind kind = NodeKind::server;
  std::vector<std::string> software;
  std::vector<Vulnerability> vulnerabilities;
  std::vector<std::string> credentials; ///< credential ids usable on this node
  Criticality criticality = Criticality::medium;
  std::vector<std::string> tags;
  std::optional<GeoPoint> location;
  // power and ICS
  double capacity_mw = 0;     ///< generation_unit: nameplate capacity
  double load_mw = 0;         ///< substation / pumping_station: load it serves
  std::int64_t customers = 0; ///< substation: customers it serves
  std::string grid;           ///< generation_unit / substation: grid id
  Index grid_index = NO_INDEX;
  std::vector<std::string> controls; ///< PLC/RTU/HMI/SCADA: node ids of the physical equipment it controls
  std::vector<Index> controls_index;
  int shed_priority = 0;                   ///< substation: lower is shed first
  UnitStart start = UnitStart::hot;        ///< generation_unit: the start a restart after a trip needs
  double restart_time = HOT_START_SECONDS; ///< generation_unit: seconds from a trip's clearing to power again
  /// Node id of the backup store its restore needs (a file server, a NAS, a tape library); empty: a backup the
  /// adversary cannot reach. A `destroy_backup` step on that store makes the restore longer or impossible.
  std::string backup;
  Index backup_index = NO_INDEX;
  double speed = 1e9;        ///< flop/s for the SimGrid host
  std::string imported_from; ///< topology id when the node comes from a GraphML import
  /// generation_unit / substation of a networked grid (one with buses): the bus it connects to, a bus id or the
  /// number of an imported bus; bus_index is its index in grid_networks()' network of that grid
  std::string bus;
  Index bus_index = NO_INDEX;
  std::optional<double> setpoint_mw; ///< generation_unit of a networked grid: dispatch (default: load-following)
  Origin origin;
};

enum class FirewallAction { allow, deny };

struct FirewallRule {
  FirewallAction action = FirewallAction::allow;
  std::string protocol = "any"; ///< "any" or a protocol name (smb, rdp, http, https, ssh, modbus, dnp3, iec104, ...)
  enum class Direction { both, a_to_b, b_to_a } direction = Direction::both;
};

struct Link {
  std::string id;
  std::string a;
  std::string b;
  Index a_index = NO_INDEX;
  Index b_index = NO_INDEX;
  double bandwidth = 125e6;           ///< bytes/s
  double latency = 1e-4;              ///< seconds
  std::vector<FirewallRule> firewall; ///< first match wins; no match: allow
  std::string imported_from;
  Origin origin;
};

struct Probe {
  std::string from; ///< node id that runs the check
  Index from_index = NO_INDEX;
  double interval = 60;        ///< seconds
  double timeout = 5;          ///< seconds: no answer by then is "down"
  double degraded_latency = 1; ///< seconds: slower than this is "degraded"
  double request_bytes = 1e3;
  double response_bytes = 1e4;
};

struct Service {
  std::string id;
  std::string name;
  std::string node;
  Index node_index = NO_INDEX;
  std::string sector;
  std::int64_t consumers = 0; ///< population or customers served
  std::optional<Probe> probe;
  Origin origin;
};

struct Backup {
  std::string kind;    ///< battery, generator, redundant-link, manual, ...
  double duration = 0; ///< seconds the backup lasts once the dependency is lost
};

/// "service X needs Y": Y is "service:id", "node:id" or "grid:id".
struct Dependency {
  std::string id;
  std::string dependent; ///< "service:id" or "node:id"
  std::string on;        ///< "service:id", "node:id" or "grid:id"
  std::optional<Backup> backup;
  std::string description;
  Origin origin;
};

/// A bus of a networked grid (docs/scenario-format.md, "Networked grids").
struct GridBus {
  std::string id;
  std::optional<int> number; ///< MATPOWER-style bus number; default: its position 1..n after the imported buses
  bool reference = false;    ///< "type": "reference"
  std::optional<double> x, y;
  Origin origin;
};

/// Inverse-time overcurrent protection of a branch: with L = loading / pickup > 1 it trips after
/// time_dial_s / (L - 1) seconds (docs/engine.md, "Protection").
struct BranchProtection {
  double pickup = 1.0;       ///< multiple of the rating at which the timer starts
  double time_dial_s = 60.0; ///< seconds; the delay at twice the pickup loading
};

/// A line or transformer of a networked grid.
struct GridBranch {
  std::string id;
  std::string from, to; ///< bus ids, or numbers of imported buses
  double x_pu = 0;      ///< series reactance, p.u. on the grid's base (100 MVA)
  double tap = 1;
  double shift_deg = 0;
  double rating_mw = 0; ///< 0: unlimited (no protection)
  BranchProtection protection;
  Origin origin;
};

struct Grid {
  std::string id;
  std::string name;
  double frequency_hz = 50;
  double reserve_mw = 0;     ///< spinning reserve that covers a loss before shedding starts (copper plate only)
  std::string matpower;      ///< MATPOWER case file, as written (relative to the scenario file that names it)
  std::string matpower_path; ///< resolved path (loader)
  std::vector<GridBus> buses;
  std::vector<GridBranch> branches;
  /// the case imported from `matpower` (loader); shared by every copy of the scenario, never changed
  std::shared_ptr<const power::Network> imported;
  bool networked() const { return !buses.empty() || !matpower.empty(); }
  Origin origin;
};

struct Topology {
  std::string id;
  std::string file;                  ///< GraphML path, relative to the including scenario file
  std::string site;                  ///< site id the imported routers belong to (created when absent)
  double default_bandwidth = 1.25e9; ///< bytes/s when LinkSpeedRaw is missing
  double default_latency = 5e-3;     ///< seconds when coordinates are missing
  std::string prefix;                ///< imported node ids are prefix + ":" + label (default: id)
  std::string country;               ///< ISO 3166 alpha-2 where its nodes without coordinates are drawn
  std::optional<GeoPoint> location;  ///< overrides `country`: where its nodes without coordinates are drawn
  Origin origin;
};

// ---------------------------------------------------------------------------------------------------------------
// Adversary

struct Distribution {
  enum class Kind { fixed, uniform, exponential, lognormal, triangular, normal } kind = Kind::fixed;
  double a = 0; ///< fixed: value; uniform/triangular: min; exponential: mean; lognormal/normal: median/mean
  double b = 0; ///< uniform/triangular: max; lognormal: sigma (of ln); normal: stddev
  double c = 0; ///< triangular: mode
};

struct Indicator {
  std::string id;
  enum class Type { hash, domain, ip, url, email, file, registry, other } type = Type::other;
  std::string value;
  Origin origin;
};

enum class StepEffect {
  compromise,     ///< gain access (privilege) on the target
  escalate,       ///< raise privilege on an already compromised target
  credential,     ///< harvest the listed credentials
  discover,       ///< no state change, takes time, may be detected
  persist,        ///< survive credential resets on the target
  exfiltrate,     ///< send `exfiltrate_bytes` from the target to the campaign's C2
  manipulate,     ///< ICS: the target's controlled equipment runs wrong (derate by `derate`)
  trip,           ///< ICS: the target's controlled equipment (or the target itself) trips offline
  shutdown,       ///< the target node goes down
  encrypt,        ///< ransomware: the target's services go down until restored
  deface,         ///< the target's services are degraded
  publish,        ///< leak of exfiltrated data (an event for the MSEL)
  destroy_backup, ///< T1490: the backups held on the target (or on the target's backup store) are destroyed
  none
};

struct StepRequirements {
  Access access = Access::none;         ///< access needed on the source
  std::vector<std::string> credentials; ///< any one of these credentials must be held
  std::vector<std::string> steps;       ///< earlier steps that must have succeeded
  std::vector<Index> steps_index;
  bool vulnerability = false; ///< target must have a vulnerability that enables the technique
};

struct Step {
  std::string id;
  std::string technique; ///< ATT&CK id, e.g. T1566.001 or T0855
  std::string tactic;    ///< optional tactic shortname the planner means; checked against the catalog
  std::string protocol = "any";
  std::string source = "compromised"; ///< "external", "compromised" or a selector
  std::string target;                 ///< selector
  std::vector<Index> target_nodes;    ///< the nodes it selects (resolved at load)
  Distribution duration;
  double probability = 1; ///< success probability per attempt
  StepRequirements requires_;
  StepEffect effect = StepEffect::none;
  Access privilege = Access::user;      ///< for compromise / escalate
  std::vector<std::string> credentials; ///< for credential: ids harvested
  double exfiltrate_bytes = 0;
  std::string data; ///< exfiltrate: what the bytes are, in the exercise's words ("classified documents"); empty: data
  double derate = 0.5;                 ///< manipulate: fraction of capacity lost
  std::optional<double> setpoint_mw;   ///< manipulate on a networked grid: the units' new setpoint instead
  std::vector<std::string> indicators; ///< indicator ids it leaves
  std::vector<Index> indicators_index;
  double detectability = 1; ///< multiplies every sensor's detection probability
  int retries = 0;
  int max_targets = 1;   ///< how many matching targets it acts on
  double not_before = 0; ///< seconds from the exercise start: no attempt ends (no effect lands) earlier
  /// `retry`: after the `retries` immediate retries, a failed attempt is retried `retry_interval` later while that
  /// retry starts no later than `retry_until` (seconds from the exercise start); < 0: no deadline retries
  double retry_until = -1;
  double retry_interval = 600;
  Origin origin;
};

struct C2 {
  std::string node; ///< attacker node that receives beacons and exfiltration
  Index node_index = NO_INDEX;
  double beacon_interval = 300;
  double beacon_bytes = 2e3;
  std::vector<std::string> indicators; ///< blocking any of these cuts the channel
  std::vector<Index> indicators_index;
};

/// How a campaign's own dice are rolled (docs/engine.md, "Storyline control"): `random` samples durations, target
/// choices and outcomes; `scripted` takes each duration's central value, the first targets in index order, and
/// succeeds wherever a step's requirements hold.
enum class CampaignMode { random, scripted };

struct Campaign {
  std::string id;
  std::string name;
  std::string actor;
  std::string description;
  CampaignMode mode = CampaignMode::random;
  double start = 0;
  C2 c2;
  std::vector<std::string> entry; ///< selectors of entry points (for analysis)
  std::vector<std::string> goals; ///< selectors of goal nodes (for analysis)
  std::vector<Step> steps;
  Origin origin;
};

struct BotnetWave {
  double start = 0;
  double end = 0;
  double intensity = 1; ///< fraction of the bots active
};

struct Botnet {
  std::string id;
  std::string name;
  std::int64_t size = 0;
  double bot_bandwidth = 125e3;    ///< bytes/s per bot
  std::vector<std::string> attach; ///< node ids (routers) where bot traffic enters
  std::vector<Index> attach_index;
  std::string target; ///< "service:id" or "node:id"
  std::vector<BotnetWave> schedule;
  std::vector<std::string> indicators;
  std::vector<Index> indicators_index;
  Origin origin;
};

struct Sensor {
  std::string id;
  std::string name;
  std::string team;
  Index team_index = NO_INDEX;
  std::string kind;                 ///< ids, edr, siem, netflow, ics-monitor, av, ...
  std::vector<std::string> covers;  ///< selectors of monitored nodes
  std::vector<Index> covers_nodes;  ///< resolved, sorted
  std::vector<std::string> detects; ///< technique ids or tactic shortnames; empty: everything
  double probability = 0.5;
  Distribution delay;
  double false_positives_per_day = 0;
  Origin origin;
};

// ---------------------------------------------------------------------------------------------------------------
// MSEL

enum class InjectType { inject, information, facilitation, contingency };

/// A trigger condition. Exactly one of the leaf kinds, or a combination with any/all.
struct Trigger {
  enum class Kind {
    always, ///< no condition
    all,
    any,                ///< combinations of `children`
    node_compromised,   ///< subject: node selector
    service_down,       ///< subject: service id
    service_degraded,   ///< subject: service id; degraded or down
    exfiltrated_over,   ///< bytes over `amount` (campaign id in subject, empty: any)
    action,             ///< team `team` performed action `action_type` (on subject if given)
    message,            ///< team `team` sent a message (to `to` if given)
    alert,              ///< team `team` received an alert (about subject technique if given)
    expectation_met,    ///< subject: expectation id
    expectation_missed, ///< subject: expectation id
    inject_delivered,   ///< subject: inject id
    power_lost_over,    ///< MW lost over `amount` (grid in subject, empty: any)
    not_,               ///< holds while its one child has not (yet) happened: `children[0]`
    data_published,     ///< subject: campaign id
    probe_down,         ///< subject: service id; in team `team`'s view if given
    probe_degraded,     ///< subject: service id; degraded or down; in team `team`'s view if given
    unit_derated,       ///< subject: node selector (generation units)
    unit_tripped,       ///< subject: node selector (units or substations)
    dependency_lost,    ///< subject: dependency id, or its dependent ("node:x", "service:x")
    backup_exhausted,   ///< subject: dependency id, or its dependent: its backup ran dry
    step_succeeded,     ///< subject: campaign id (empty: any); `step` and/or `technique` (prefix match)
    node_encrypted      ///< subject: node selector
  } kind = Kind::always;
  std::string subject;
  std::string team;
  std::string to;
  std::string action_type;
  std::string indicator; ///< action `block`: the indicator blocked (empty: any)
  std::string step;      ///< step_succeeded: step id in campaign `subject`
  std::string technique; ///< step_succeeded: ATT&CK technique (a parent matches its sub-techniques)
  double amount = 0;
  std::vector<Trigger> children;
  std::string pointer; ///< JSON pointer of this trigger, for diagnostics
};

struct Expectation {
  std::string id;
  std::string team;
  Index team_index = NO_INDEX;
  std::string description;
  double within = 3600; ///< seconds after the inject is delivered
  std::string objective;
  std::string critical_task;
  Trigger met_by; ///< what counts as meeting it (usually an action or message)
  /// What makes it applicable: watched from the exercise start; if it never held by the deadline, the expectation is
  /// "not applicable" instead of missed. None: always applicable.
  std::optional<Trigger> premise;
  std::string contingency; ///< inject id released when it is missed
  double points = 1;
  Origin origin;
};

struct Inject {
  std::string id;
  std::string move;
  std::optional<double> time; ///< seconds from exercise start (resolved from move + relative time)
  std::optional<Trigger> trigger;
  /// Timed injects: watched from the exercise start and checked when the inject is due; if it has held, the inject is
  /// skipped (not delivered) and its expectations are not applicable.
  std::optional<Trigger> skip_if;
  double delay = 0;                 ///< after the trigger fires
  std::optional<double> not_before; ///< triggered: never delivered before this exercise time (resolved from move)
  double expires = NEVER;           ///< seconds after delivery
  InjectType type = InjectType::inject;
  std::string channel; ///< email, phone, news, social-media, intelligence-report, siem-alert, ...
  std::string from;
  std::vector<std::string> to; ///< team ids
  std::vector<Index> to_index;
  bool hidden = false; ///< visible to control only
  std::string title;
  std::string content;
  std::vector<Expectation> expectations;
  Origin origin;
};

// ---------------------------------------------------------------------------------------------------------------
// Team actions, objectives, scoring

enum class ActionType {
  isolate,
  reconnect,
  block,
  patch,
  reset_credentials,
  restore,
  manual_operations,
  shutdown_service,
  restore_service,
  share,
  report,
  communicate,
  public_statement, ///< a press statement or public advisory: its own record, the public sees it
  close_breaker,    ///< field crew: closes the breakers of a tripped substation or unit, no SCADA needed
  refuel,           ///< field crew: refuels a dependency's generator, which runs `extends` longer
  filter_ddos,      ///< telecom operator: scrubs (up to `scrubbing_capacity`) or blackholes the flood toward a target
  stop_filtering    ///< telecom operator: ends the filtering of filter_ddos on the targets
};
inline constexpr ActionType LAST_ACTION_TYPE = ActionType::stop_filtering;

/// The kinds of a public_statement action.
inline constexpr const char* PUBLIC_STATEMENT_KINDS[] = {"press_statement", "public_advisory"};

/// The modes of a filter_ddos action: a scrubbing centre removes up to its capacity of the flood; a blackhole drops
/// every packet toward the target, the flood and the legitimate traffic from outside the target's site alike.
inline constexpr const char* FILTER_MODES[] = {"scrubbing", "blackhole"};

struct ActionSpec {
  ActionType type = ActionType::isolate;
  double duration = 0;        ///< seconds before the effect applies
  double effect_duration = 0; ///< restore: time offline while restoring; manual_operations: none
  /// restore: time offline per node kind, instead of effect_duration (std::map: sorted, deterministic)
  std::map<NodeKind, double> effect_duration_by_kind;
  /// restore of a node whose backup store was destroyed: the offline time is multiplied by this; 0: impossible
  double backup_destroyed_factor = 0;
  double extends = 0;            ///< refuel: seconds of generator running time the fuel adds
  double capacity = 1;           ///< manual_operations: fraction of capacity kept without SCADA
  std::string mode;              ///< filter_ddos: the mode when a command names none ("scrubbing" or "blackhole")
  double scrubbing_capacity = 0; ///< filter_ddos: bytes/s of flood the scrubbing centre removes
  std::string description;
  Origin origin;
};

struct CriticalTask {
  std::string id;
  std::string description;
};

struct Capability {
  std::string id;
  std::string name;
  std::vector<CriticalTask> critical_tasks;
  Origin origin;
};

struct Objective {
  std::string id;
  std::string title;
  std::string description;
  std::string capability;
  std::vector<std::string> critical_tasks;
  std::vector<std::string> teams;   ///< empty: every player team
  std::vector<std::string> metrics; ///< automatic metrics: time_to_detect, time_to_contain, time_to_recover,
                                    ///< availability, data_exfiltrated, mwh_lost, expectations_met, time_to_share
  double weight = 1;
  Origin origin;
};

struct SeverityCategory {
  std::string id; ///< functional_impact, observed_activity, location, actor, information_impact, recoverability,
                  ///< cross_sector, potential_impact
  double weight = 1;
  std::map<std::string, double> levels; ///< level name -> score 0..100 (std::map: sorted, deterministic)
};

struct Scoring {
  std::vector<SeverityCategory> severity;
  double weight_expectations = 0.4;
  double weight_ratings = 0.4;
  double weight_metrics = 0.2;
};

// ---------------------------------------------------------------------------------------------------------------

/// One file a scenario was read from: the main file, an included file or a GraphML topology.
struct ScenarioFile {
  std::string path; ///< as opened: the main file as given, the others resolved against the file that names them
  std::string hash; ///< "fnv1a64:" + 16 hex digits of the bytes read (content_hash())
};

struct Scenario {
  std::string file; ///< main file path as given
  /// Every file read, in load order: the main file first, then the included files depth first, then the GraphML
  /// files of the topologies. What a journal fingerprints (docs/journal.md, "Header").
  std::vector<ScenarioFile> sources;
  Exercise exercise;
  std::vector<Organisation> organisations;
  std::vector<Team> teams;
  std::vector<Site> sites;
  std::vector<Node> nodes;
  std::vector<Link> links;
  std::vector<Service> services;
  std::vector<Dependency> dependencies;
  std::vector<Grid> grids;
  std::vector<Topology> topologies;
  std::vector<Indicator> indicators;
  std::vector<Campaign> campaigns;
  std::vector<Botnet> botnets;
  std::vector<Sensor> sensors;
  std::vector<Inject> msel;
  std::vector<ActionSpec> actions; ///< one per ActionType present; defaults filled by the loader
  std::vector<Capability> capabilities;
  std::vector<Objective> objectives;
  Scoring scoring;

  /// Lookups by id (sorted maps: deterministic iteration). Filled by the loader.
  std::map<std::string, Index> node_by_id;
  std::map<std::string, Index> site_by_id;
  std::map<std::string, Index> team_by_id;
  std::map<std::string, Index> service_by_id;
  std::map<std::string, Index> grid_by_id;
  std::map<std::string, Index> indicator_by_id;
  std::map<std::string, Index> inject_by_id;
};

// Names of enum values as they appear in scenario files ("switch" for NodeKind::switch_).
const char* to_string(NodeKind k);
const char* to_string(TeamRole r);
const char* to_string(Criticality c);
const char* to_string(Access a);
const char* to_string(StepEffect e);
const char* to_string(InjectType t);
const char* to_string(ActionType t);
const char* to_string(Indicator::Type t);
std::optional<NodeKind> node_kind_from_string(const std::string& s);
std::optional<TeamRole> team_role_from_string(const std::string& s);
std::optional<Criticality> criticality_from_string(const std::string& s);
std::optional<Access> access_from_string(const std::string& s);
std::optional<StepEffect> step_effect_from_string(const std::string& s);
std::optional<InjectType> inject_type_from_string(const std::string& s);
std::optional<ActionType> action_type_from_string(const std::string& s);
std::optional<Indicator::Type> indicator_type_from_string(const std::string& s);

/// What the scenario's exfiltrated bytes are, named as its exfiltrate steps name them (their `data`, each once, in
/// scenario order): "secret documents exfiltrated", "classified documents, customer records exfiltrated"; "data
/// exfiltrated" when a step names nothing. The one label of the data_exfiltrated KPI (report, GUI dashboard).
std::string exfiltrated_label(const Scenario& scenario);

} // namespace cyberex

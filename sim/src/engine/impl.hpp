/* Internals of the simulation engine: the SimGrid platform, the calendar and scheduler, the world state and models.
 * Only engine sources include this (it pulls SimGrid in). */
#pragma once

#include "cyberex/engine.hpp"
#include "cyberex/grid_network.hpp"
#include "cyberex/powerflow.hpp"
#include "engine/random.hpp"

#include <simgrid/s4u.hpp>

#include <map>
#include <set>
#include <string>
#include <vector>

namespace cyberex {

namespace sg4 = simgrid::s4u;

/// A JSON object text built key by key, in the order written (stable output).
class Details {
public:
  Details& str(const char* key, const std::string& value);
  Details& num(const char* key, double value, int precision = 3);
  Details& integer(const char* key, long long value);
  Details& boolean(const char* key, bool value);
  Details& strings(const char* key, const std::vector<std::string>& values);
  std::string done() const { return text_ + "}"; }

private:
  void key(const char* k);
  std::string text_ = "{";
};
std::string json_quote(const std::string& s);
std::string format_fixed(double value, int precision);

/// The calendar: two binary heaps of (time, sequence number, handler, two words), merged on pop. Ties at equal time
/// run in insertion order across both. Background entries (availability probes) run like the others but are not
/// "the next event" a driver steps to: next_foreground() ignores them.
struct CalendarEntry {
  double time;
  std::uint64_t seq;
  Simulation::Handler fn;
  std::uint64_t a;
  std::uint64_t b;
};

class Calendar {
public:
  void push(double time, Simulation::Handler fn, std::uint64_t a, std::uint64_t b, bool background = false);
  const CalendarEntry& top() const { return top_is_background() ? back_.front() : fore_.front(); }
  CalendarEntry pop();
  bool empty() const { return fore_.empty() && back_.empty(); }
  std::size_t size() const { return fore_.size() + back_.size(); }
  /// Time of the earliest foreground entry, NEVER if none.
  double next_foreground() const { return fore_.empty() ? NEVER : fore_.front().time; }
  bool foreground_empty() const { return fore_.empty(); }

private:
  bool top_is_background() const;
  std::vector<CalendarEntry> fore_;
  std::vector<CalendarEntry> back_;
  std::uint64_t next_seq_ = 0;
};

enum class EntityKind { node, service, grid, bus }; ///< bus: index into Impl::bus_refs_
struct EntityRef {
  EntityKind kind = EntityKind::node;
  Index index = NO_INDEX;
};

class Simulation::Impl {
public:
  Impl(Simulation& owner, const Scenario& scenario, SimulationOptions options, EventSink sink);
  ~Impl();

  // --- driving (simulation.cpp)
  double now() const;
  void advance_to(double t);
  void schedule(double t, Handler fn, std::uint64_t a, std::uint64_t b, bool background = false);
  void scheduler_main();
  void sync_clock();
  void emit(RecordType type, const std::string& subject, std::string details);

  // --- platform (platform.cpp)
  void build_platform();
  /// The zone of each node (a single-border site, or the node alone) and each zone's gateway node.
  std::vector<Index> platform_groups(std::vector<Index>& gateway) const;
  /// Turns the SimGrid links of `node` off or on as its ends carry traffic or not (NodeState::cut).
  void sync_node_links(Index node);

  // --- world (world.cpp, campaign.cpp)
  void init_world();
  CommandResult apply(const Command& command);
  Kpis kpis() const;
  NodeView node_view(Index n) const;

  // campaigns
  void campaign_start(int c);
  void step_begin(int c);
  void attempt_start(int attempt);
  /// A step duration: sampled from the campaign's stream, or its central value in a scripted campaign.
  double step_duration(int c, const Distribution& d);
  void attempt_end(int attempt);
  void attempt_resolved(int attempt, bool success);
  void step_done(int c);
  void apply_effect(int attempt);
  void beacon_tick(int c);
  void start_exfiltration(int attempt);
  void exfil_done(int x, bool ok);
  void exfil_progress(int x);
  void add_foothold(int c, Index n, Access privilege, const std::string& technique);
  void remove_foothold(int c, Index n, const char* reason);
  void set_c2(int c, Index n, bool up, const char* reason);
  bool eligible(int c, const Step& step, Index target) const;
  double exploitability(const Step& step, Index target) const;
  bool is_attacker(Index n) const;
  bool channel_blocked(int c, Index n) const;
  bool indicator_blocked_for(Index indicator, Index node) const;
  std::vector<Index> path_sources(int c, int s, Index target) const;
  bool reachable(const std::vector<Index>& sources, Index target, const std::string& protocol) const;
  bool node_reachable_state(Index n) const;
  bool can_launch_step(int c) const;  ///< containment: the current step still has a source that can act
  bool campaign_can_act(int c) const; ///< containment: a foothold works hands-on, or the campaign can progress

  // sensors
  void observe_step(int c, int s, Index target);
  bool sensor_detects(int sensor, const Step& step) const;
  const std::vector<std::string>& tactics_of(const std::string& technique) const;
  void deliver_alert(int pending);
  void false_positive(int sensor);

  // botnets (flood.cpp)
  void build_bot_entries(const std::vector<sg4::NetZone*>& zones, const std::vector<Index>& group);
  void weigh_bot_entry(int botnet, int wave, std::size_t entry);
  void wave_start(int botnet, int wave);
  void wave_end(int botnet, int wave);
  void stop_botnet(int botnet, const char* reason);

  // probes (world.cpp)
  void init_probes();
  void probe_tick(int service, long k);
  void probe_start(int service);
  void probe_transfers(int service);
  void prober_main(int service);
  void probe_finished(int service, int status, double latency, const char* reason);
  bool probe_path_quiet(int service) const;
  bool probe_route_cut(int service) const;
  double probe_detour(int service) const;
  void probe_answer_at(int service, double took);
  void record_probe(int service, int status, double latency, const char* reason);

  // engine flows per link (world.cpp): what a probe's path carries besides probes
  const std::vector<int>& route_link_ids(sg4::Host* from, sg4::Host* to);
  void load_route(sg4::Host* from, sg4::Host* to, int delta);

  // actions
  void command_issue(int index);
  void command_effect(int index);
  void restore_done(Index node);

  // derived state: power, dependencies, services
  void refresh();
  bool node_out_of_service(Index n) const;
  /// A node carries and serves traffic unless it is failed (offline, isolated, encrypted, tripped, shed, or failed
  /// through a dependency): node_status "failed".
  bool node_carries_traffic(Index n) const;
  double unit_output(Index unit) const;    ///< MW the generation unit delivers now
  const char* unit_mode(Index unit) const; ///< running, derated, manual, starting or tripped
  bool entity_failed(const EntityRef& e) const;
  void backup_exhausted(int dep, std::uint64_t gen);
  void check_containment();

  // networked grids (grid.cpp, docs/engine.md "Networked grids")
  void init_networks();
  /// Inside refresh()'s fixpoint: re-solves grid `g`'s network if its state changed, sets the substations' shed flags
  /// and the grid's balance; true when a node's state or the MW lost changed.
  bool balance_network(std::size_t g);
  /// After the fixpoint: island, load and protection records, protection timers started or cancelled.
  void report_networks();
  void protection_fire(std::size_t net, std::size_t branch, std::uint64_t gen);
  /// A campaign step's trip or shutdown on a controller: the branch breakers it controls open.
  void open_controlled_branches(Index controller, const std::string& campaign);
  /// A manipulate step with a setpoint on a controller (or a unit): the networked generators it controls move there.
  /// Returns the units it moved (they are not derated).
  std::vector<Index> set_controlled_setpoints(Index controller, double mw, const std::string& campaign);
  /// A field crew closes a branch's breaker ("branch:ID" or "branch:GRID/ID"); false when it was closed.
  bool close_branch(const std::string& ref, const std::string& team);
  bool bus_failed(Index bus_ref) const;
  /// The MW a networked unit delivers now (its solved dispatch), or nullopt for a unit of a copper-plate grid.
  std::optional<double> network_output(Index unit) const;
  std::string grid_details(std::size_t g) const; ///< a networked grid's grid_balance details

  // SimGrid helpers
  void spawn_comm(sg4::Host* from, sg4::Host* to, double bytes, double timeout,
                  std::function<void(bool ok, double elapsed)> done, int exfil_slot = -1);
  void snapshot_exfils();

  // ---------------------------------------------------------------------------------------------------------------
  Simulation& owner_;
  Scenario sc_;
  SimulationOptions opt_;
  EventSink sink_;
  ExerciseState state_{sc_}; ///< every event emitted, folded: the KPIs (one definition, with journals and sessions)
  std::uint64_t seed_ = 1;
  double build_seconds_ = 0;

  // SimGrid
  std::unique_ptr<sg4::Engine> engine_;
  std::vector<sg4::Host*> hosts_;
  sg4::Host* control_ = nullptr;
  std::size_t zone_gateways_ = 0;              // zones under the root, one gateway each
  std::vector<sg4::Link*> sg_links_;           // per scenario link, nullptr for a self loop
  std::vector<std::vector<Index>> node_links_; // scenario link indices touching each node
  std::vector<std::vector<Index>> adjacency_;  // per node: scenario link indices (for reachability)
  struct BotEntry { // the bots of one wave entering at one attach node: one host, one access link (flood.cpp)
    sg4::Host* host = nullptr;
    sg4::SplitDuplexLink* access = nullptr;
    std::int64_t bots = 0;
    bool weighed = false; // aggregated: the access link's latency makes the route's sharing weight that of `bots`
  };
  std::vector<std::vector<std::vector<BotEntry>>> bot_entries_; // [botnet][wave][attach]
  std::vector<Index> botnet_target_;                            // per botnet: the node its waves flood, or NO_INDEX
  std::map<const sg4::Host*, double> bot_latency_factor_;       // aggregated entries' hosts: bots (latency phase)
  std::vector<sg4::Link*> route_links_;                         // every SimGrid link met on a route, by id
  std::map<const sg4::Link*, int> link_id_;                     // its id
  std::map<std::pair<const sg4::Host*, const sg4::Host*>, std::vector<int>> routes_; // link ids per (from, to)
  std::vector<int> link_flows_; // per link id: engine flows crossing it now (exfiltration, beacons, floods, ...)

  // scheduler
  Calendar cal_;
  sg4::MutexPtr mutex_;
  sg4::ConditionVariablePtr cv_;
  double waiting_until_ = -1;
  bool in_scheduler_ = false;
  double limit_ = 0;
  double logical_ = 0;
  int busy_ = 0; // SimGrid activity outside the scheduler: helper actors, flood waves
  std::uint64_t processed_ = 0;
  std::uint64_t event_seq_ = 0;

  // world: nodes
  struct Foothold {
    Access privilege = Access::user;
    bool persistent = false;
  };
  struct NodeState {
    bool isolated = false;
    bool down = false;
    bool encrypted = false;
    bool defaced = false;
    bool tripped = false;
    double derate = 0;
    bool manual = false;
    double manual_capacity = 1;
    bool stopped = false; // a unit not delivering: tripped (outside manual operations), offline or dependency-failed
    double online_at = 0; // a unit restarting after a stop delivers nothing before this time
    bool dep_failed = false;
    bool shed = false;
    std::set<std::string> patched;
    std::uint64_t restore_gen = 0;
    bool backup_destroyed = false; // a backup store whose backups the adversary destroyed (T1490)
    bool cut = false;              // failed: its SimGrid links are off, reachability skips it (follows reported_failed)
    // last reported derived state
    bool reported_failed = false;
    double reported_output = 0;
    bool reported_energised = true;
    const char* reported_mode = "running";
  };
  std::vector<NodeState> nodes_;
  std::vector<std::vector<int>> node_teams_;   // teams owning each node
  std::vector<std::vector<int>> node_sensors_; // sensors covering each node
  std::vector<std::vector<int>> node_services_;
  std::vector<Index> attacker_nodes_; // kind attacker or internet: "external" sources

  // world: campaigns
  enum class CampaignStatus { pending, running, waiting, finished, failed, stopped };
  struct CampaignState {
    CampaignStatus status = CampaignStatus::pending;
    int step = -1;
    std::vector<int> step_status;            // 0 pending, 1 running, 2 succeeded, 3 failed
    std::vector<std::vector<Index>> targets; // per step: nodes matched by its target selector
    std::vector<std::vector<Index>> sources; // per step: nodes matched by a selector source (empty otherwise)
    std::map<Index, Foothold> footholds;
    std::set<std::string> credentials;
    std::map<Index, int> c2; // node -> 1 channel up, 0 lost
    int pending_attempts = 0;
    bool step_success = false;
    double exfiltrated = 0;
    double first_compromise = NEVER;
    double first_detect = NEVER;
    double contained = NEVER;
    int steps_succeeded = 0;
    bool beaconing = false;
    bool interrupted = false; // an attempt of the current step lost its path or channel
    std::uint64_t recheck_gen = 0;
    Rng rng;
  };
  std::vector<CampaignState> campaigns_;
  struct Attempt {
    int campaign = 0;
    int step = 0;
    Index target = NO_INDEX;
    Index source = NO_INDEX;
    int tries = 0;
  };
  std::vector<Attempt> attempts_;
  struct Exfil {
    int attempt = 0;
    Index node = NO_INDEX;
    double bytes = 0;
    double remaining_snapshot = -1;
    double reported = 0;
    bool active = false;
    bool cancelled = false;
    sg4::CommPtr comm;
  };
  std::vector<Exfil> exfils_;

  // sensors and alerts
  struct PendingAlert {
    int sensor = 0;
    int campaign = -1; // -1: false positive
    std::string technique;
    Index node = NO_INDEX;
    std::vector<std::string> indicators;
  };
  std::vector<PendingAlert> alerts_;
  std::vector<Rng> sensor_rng_;
  std::vector<Rng> fp_rng_;
  mutable std::map<std::string, std::vector<std::string>> tactics_cache_;

  // botnets
  struct BotnetState {
    bool blocked = false;
    int wave = -1;
    Index target = NO_INDEX; // of the wave in progress
    std::vector<sg4::CommPtr> comms;
  };
  std::vector<BotnetState> botnets_;

  // services
  struct ServiceState {
    bool shutdown = false;
    bool dep_failed = false;
    int status = 0; // 0 up, 1 degraded, 2 down (ground truth)
    int reported_status = 0;
    int probe_status = -1;
    int probes = 0; ///< probes measured (a statistic of the engine, not a KPI)
  };
  std::vector<ServiceState> services_;
  struct ProbeState {
    std::vector<int> links; // link ids of the request and response routes
    double lone = -1;       // closed-form duration on a quiet path (request + response), -1: always transfer
    bool in_flight = false;
    std::uint64_t detour_gen = 0; // cut_gen_ when `detour` was computed (0: never)
    double detour = -1;           // probe_detour() then
    int pending = 0;      // ticks due while a probe was in flight (started back to back, as a prober loop would)
    sg4::SemaphorePtr go; // wakes this service's prober actor for one probe as transfers (created on first use)
  };
  std::vector<ProbeState> probes_; // per service
  std::uint64_t cut_gen_ = 1;      // changes whenever a node's links go off or on (detours are cached per value)

  // dependencies
  struct DependencyState {
    EntityRef dependent;
    EntityRef on;
    double backup = 0;
    bool has_backup = false;
    bool lost = false;
    bool exhausted = false;
    double exhaust_at = NEVER; // lost: when the backup runs dry (a refuel moves it)
    std::uint64_t gen = 0;
  };
  std::vector<DependencyState> deps_;
  std::vector<int> dep_order_; // evaluation order of dependencies (topological over the dependency graph)

  // power
  struct GridState {
    double available = 0;
    double demand = 0;
    double lost_mw = 0;
    bool shedding = false; // sheds at least one substation: failed for what depends on "grid:ID"
    std::int64_t customers_lost = 0;
    bool reported = false;
    double reported_lost = -1;
    std::string reported_details; // networked grids: the last grid_balance details
  };
  std::vector<GridState> grids_;
  std::vector<Index> units_; // every generation unit, in index order
  std::vector<std::vector<Index>> grid_units_;
  std::vector<std::vector<Index>> grid_substations_; // sorted by (shed_priority, id)

  // networked grids
  struct NetGrid {
    std::size_t network = 0; // index into networks_
    std::unique_ptr<power::Solver> solver;
    power::State state;      // breakers and setpoints as changed; units' and loads' parts follow their nodes
    power::State solved_for; // the state `sol` solves
    bool solved = false;
    power::Solution sol;
    std::vector<double> setpoint;           // per generator: dispatch setpoint (a manipulate step moves it)
    std::vector<char> tripped;              // per branch: opened by its protection (not by a breaker command)
    std::vector<std::uint64_t> timer_gen;   // per branch: protection timer generation (a cancel bumps it)
    std::vector<double> timer_due;          // per branch: when the protection trips it, NEVER without a timer
    std::vector<double> overload_since;     // per branch
    std::vector<std::string> overload_after; // per branch: the change that overloaded it
    std::vector<std::vector<std::size_t>> reported_islands;
    std::vector<char> reported_shed; // per load: shed (connected, not served)
    bool reported = false;
    int overloaded = 0;
  };
  std::vector<GridNetwork> networks_;              // never resized after init_networks (solvers refer to them)
  std::vector<NetGrid> nets_;                      // one per networks_ entry
  std::vector<int> grid_net_;                      // per scenario grid: index into nets_, -1 for a copper plate
  std::vector<std::pair<std::size_t, std::size_t>> bus_refs_; // bus entities: (net, bus)
  std::map<Index, std::pair<std::size_t, std::size_t>> unit_gen_; // generation unit node -> (net, generator)
  std::string power_cause_; // the last change to the power system (cause chains of island and shedding records)

  // teams and indicators
  std::vector<std::vector<char>> blocked_; // [indicator][team]

  // commands
  std::vector<Command> commands_;
  std::vector<std::vector<Index>> command_nodes_;

  // KPIs
};

} // namespace cyberex

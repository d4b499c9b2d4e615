#pragma once
// DC power flow of a transmission grid (docs/engine.md, "The grid as a network"): MATPOWER case import, a DC solve
// per island with a balancing rule, and N-1 contingency screening. Pure computation: no SimGrid, no scenario. The
// engine keeps a `power::Network` per networked grid and a `power::State` that campaign steps, protection and team
// actions change; after every change it calls `Solver::solve` and emits the differences.
//
// This header is included by the engine and the CLI: keep it free of Eigen (the solver is a pimpl).

#include <cstddef>
#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace cyberex::power {

inline constexpr std::size_t NONE = static_cast<std::size_t>(-1);

enum class BusType { pq = 1, pv = 2, reference = 3, isolated = 4 }; ///< MATPOWER's bus types

struct Bus {
  int number = 0; ///< MATPOWER bus number (BUS_I); unique in the network
  std::string id; ///< scenario id; for an imported case "bus-<number>" unless the scenario names it
  BusType type = BusType::pq;
  double gs_mw = 0;    ///< shunt conductance as a constant load, MW at V = 1 p.u. (GS)
  double va_deg = 0;   ///< given voltage angle; used for the reference bus (VA)
  double x = 0, y = 0; ///< one-line diagram coordinates (optional)
  bool has_xy = false;
};

struct Branch {
  std::string id;          ///< scenario id; for an imported case "branch-<row>"
  std::size_t from = NONE; ///< bus index (into Network::buses)
  std::size_t to = NONE;
  double x_pu = 0;        ///< series reactance, p.u. on baseMVA (BR_X); must be non-zero
  double tap = 1;         ///< off-nominal tap ratio (TAP; 0 in a case file means 1)
  double shift_deg = 0;   ///< phase shift angle (SHIFT)
  double rating_mw = 0;   ///< long-term thermal rating (RATE_A); 0 = unlimited
  bool in_service = true; ///< BR_STATUS
  std::size_t row = 0;    ///< 1-based row in the case file (0: written in the scenario)
};

struct Generator {
  std::string id;         ///< scenario id: the generation unit's node id, or "gen-<row>" for an imported case
  std::size_t bus = NONE; ///< bus index
  double pg_mw = 0;       ///< dispatch setpoint (PG)
  double pmax_mw = 0;     ///< capacity (PMAX)
  double pmin_mw = 0;     ///< PMIN (kept; the balancing rule backs down to 0, not to PMIN)
  bool in_service = true; ///< GEN_STATUS
  std::size_t row = 0;    ///< 1-based row in the case file (0: written in the scenario)
};

struct Load {
  std::string id;         ///< scenario id: the substation's node id, or "load-<bus number>" for an imported case
  std::size_t bus = NONE; ///< bus index
  double mw = 0;          ///< demand (PD); may be negative (an injection)
  int priority = 0;       ///< under-frequency shedding order: lower is shed first, then by id
  double customers = 0;
};

struct Network {
  std::string name;
  double base_mva = 100;
  std::vector<Bus> buses;
  std::vector<Branch> branches;
  std::vector<Generator> generators;
  std::vector<Load> loads;

  std::size_t bus_index(int number) const; ///< NONE when absent
};

/// A malformed case file: `where` is "file:line:column" and `what()` is "file:line:column: message".
class CaseError : public std::runtime_error {
public:
  CaseError(std::string where, const std::string& message);
  const std::string& where() const { return where_; }

private:
  std::string where_;
};

/// Reads a MATPOWER case file (mpc.baseMVA, mpc.bus, mpc.gen, mpc.branch; other fields ignored). Each bus with a
/// non-zero PD becomes one load "load-<bus>" of priority 0. Throws CaseError with the line and column of the first
/// fault (an unreadable file has line 0).
Network read_matpower(const std::string& path);
Network parse_matpower(std::string_view text, const std::string& file_name);

/// One-line diagram coordinates: when a bus lacks them, every bus gets a deterministic layout (Kamada-Kawai spring
/// layout over the branches from a circle; the circle alone for a disconnected network or one of more than 400 buses)
/// and has_xy; a network whose buses all have coordinates is left as it is.
void lay_out(Network& net);

/// What changes during an exercise; every vector is indexed like the network's and sized by `initial_state`.
struct State {
  std::vector<char> branch_closed;  ///< breaker position of each branch (initially its in_service)
  std::vector<char> gen_online;     ///< generator connected and running (initially its in_service)
  std::vector<double> gen_setpoint; ///< MW dispatch setpoint (initially PG)
  std::vector<double> gen_capacity; ///< MW available now (initially PMAX; a derate lowers it)
  std::vector<char> load_connected; ///< a load not cut off for another reason (initially 1)
};
State initial_state(const Network& net);

enum class Balance {
  reference, ///< MATPOWER's rundcpf: the reference bus's generators take the whole mismatch of their island
  governor,  ///< generators with headroom take a deficit pro rata to capacity, a surplus backs them down pro rata;
             ///< what capacity cannot cover is shed by under-frequency relays, whole loads by (priority, id)
};

struct Island {
  std::vector<std::size_t> buses; ///< bus indices, ascending
  std::size_t reference = NONE;   ///< reference bus index
  double generation_mw = 0;       ///< after balancing
  double load_mw = 0;             ///< served load + shunt conductance
  double shed_mw = 0;             ///< load shed by under-frequency relays (governor) or unserved (no generator)
  bool energised = false;         ///< has online generation and was solved; a dead island carries no flow
};

struct Solution {
  std::vector<double> angle_deg;   ///< per bus
  std::vector<std::size_t> island; ///< per bus: index into islands
  std::vector<Island> islands;     ///< ordered by their lowest bus index
  std::vector<double> flow_mw;     ///< per branch, MW at the "from" end; 0 when open
  std::vector<double> loading_pct; ///< per branch, |flow| / rating x 100; 0 when unrated or open
  std::vector<double> gen_mw;      ///< per generator
  std::vector<char> load_served;   ///< per load: 1 served, 0 shed (or disconnected in the state)
  double shed_mw = 0;              ///< sum over islands (loads shed, not those disconnected in the state)
};

struct Contingency {
  enum class Kind { branch, generator } kind = Kind::branch;
  std::size_t index = 0;               ///< branch or generator index
  bool islands = false;                ///< the outage splits the network (or isolates a bus)
  double load_at_risk_mw = 0;          ///< load shed after the outage (governor balance)
  double max_loading_pct = 0;          ///< worst branch loading after the outage
  std::vector<std::size_t> overloaded; ///< branches above 100 % of rating after the outage
  std::vector<double> flow_mw;         ///< per branch, when ScreenOptions::keep_flows
};

struct ScreenOptions {
  bool branches = true;
  bool generators = true;
  bool keep_flows = false;
  Balance balance = Balance::governor;
};

/// Factors the susceptance matrix of each island once per topology (the set of closed branches) and re-uses the
/// factorisation while only injections change. Not thread-safe; one per thread. Keeps a reference to `net`, which must
/// outlive it and keep its buses and branches (changes go through State).
class Solver {
public:
  explicit Solver(const Network& net);
  ~Solver();
  Solver(const Solver&) = delete;
  Solver& operator=(const Solver&) = delete;

  Solution solve(const State& state, Balance balance = Balance::governor);

  /// N-1 screening from `state`: every closed branch (by LODF on the base factorisation; a full re-solve for an
  /// outage that islands) and every online generator.
  std::vector<Contingency> screen(const State& state, const ScreenOptions& options = {});

  const Network& network() const;

  /// How many island factorisations this solver has computed so far (a topology seen before re-uses its cached
  /// factorisation; tests and benchmarks read this).
  std::size_t factorisations() const;

private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

/// A connected, meshed synthetic transmission grid of `buses` buses (at least 2), deterministic from `seed`: about
/// 1.4 branches per bus (a ring of clusters with chords), reactances 0.01-0.2 p.u., generators on about 10 % of the
/// buses with a total capacity of 1.3 x the load, ratings such that the base case loads each branch at 30-80 %.
/// Bus numbers are 1..buses; bus 1 is the reference bus. Throws std::invalid_argument when buses < 2.
Network synthetic_grid(std::size_t buses, std::uint64_t seed);

} // namespace cyberex::power

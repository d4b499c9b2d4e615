/* DC power flow (docs/engine.md, "The grid as a network"), exactly MATPOWER's makeBdc/dcpf per island:
 *   b_k = 1 / (x_k * tap_k) for each closed branch k (p.u. on baseMVA),
 *   B theta = P - Pshift, with P the net injections (generation - load - Gs) / baseMVA and Pshift the phase shifters'
 *   equivalent injections (from end: -b_k * shift_k, to end: +b_k * shift_k),
 *   flow_k = baseMVA * b_k * (theta_from - theta_to - shift_k), theta_ref = VA of the island's reference bus.
 * Each island is balanced first (Balance), so the reference bus's equation is redundant and dropped: the reduced B
 * of a connected island is non-singular and factored once per (topology, reference bus). */
#include "cyberex/powerflow.hpp"

#include <Eigen/SparseCholesky>
#include <Eigen/SparseCore>
#include <Eigen/SparseLU>

#include <algorithm>
#include <cmath>
#include <deque>
#include <map>
#include <numbers>
#include <stdexcept>
#include <utility>

namespace cyberex::power {

State initial_state(const Network& net)
{
  State s;
  for (const Branch& b : net.branches)
    s.branch_closed.push_back(b.in_service ? 1 : 0);
  for (const Generator& g : net.generators) {
    s.gen_online.push_back(g.in_service ? 1 : 0);
    s.gen_setpoint.push_back(g.pg_mw);
    s.gen_capacity.push_back(g.pmax_mw);
  }
  s.load_connected.assign(net.loads.size(), 1);
  return s;
}

namespace {

using SparseMatrix = Eigen::SparseMatrix<double>;
constexpr double DEG = std::numbers::pi / 180.0;

/// The factorisation of one island's reduced susceptance matrix (the reference bus's row and column removed).
struct Factor {
  std::vector<int> reduced;                 ///< per position in the island's bus list: row in the reduced B, or -1
  Eigen::SimplicialLDLT<SparseMatrix> ldlt; ///< the reduced B is symmetric (positive definite without series caps)
  Eigen::SparseLU<SparseMatrix> lu;         ///< fallback when LDL^T fails (negative reactances)
  bool use_lu = false;

  Eigen::VectorXd solve(const Eigen::VectorXd& rhs) const
  {
    if (use_lu)
      return lu.solve(rhs);
    return ldlt.solve(rhs);
  }
};

/// The islands of one set of closed branches, and the factorisations computed for them.
struct Topology {
  std::vector<std::size_t> island_of;                            ///< per bus
  std::vector<std::size_t> position;                             ///< per bus: its position in its island's bus list
  std::vector<std::vector<std::size_t>> islands;                 ///< bus indices ascending; islands by lowest bus
  std::vector<std::vector<std::size_t>> branches_of;             ///< per island: the conducting branches
  std::vector<char> conducting;                                  ///< per branch: closed, non-zero b, both ends alive
  std::vector<double> b;                                         ///< per branch: 1 / (x * tap)
  std::map<std::pair<std::size_t, std::size_t>, Factor> factors; ///< by (island, reference bus)
  std::vector<char> bridge;                                      ///< per branch, computed on demand: its outage islands
  bool bridges_known = false;
};

bool alive(const Bus& bus)
{
  return bus.type != BusType::isolated;
}

double susceptance(const Branch& br)
{
  const double xt = br.x_pu * br.tap;
  return xt != 0 && std::isfinite(xt) ? 1.0 / xt : 0.0;
}

} // namespace

struct Solver::Impl {
  const Network& net;
  std::map<std::vector<char>, std::shared_ptr<Topology>> cache;
  std::deque<std::vector<char>> cache_order; // oldest first
  std::size_t factorisations = 0;
  static constexpr std::size_t CACHE_LIMIT = 64;

  explicit Impl(const Network& n) : net(n) {}

  void check(const State& st) const
  {
    if (st.branch_closed.size() != net.branches.size() || st.gen_online.size() != net.generators.size() ||
        st.gen_setpoint.size() != net.generators.size() || st.gen_capacity.size() != net.generators.size() ||
        st.load_connected.size() != net.loads.size())
      throw std::invalid_argument("power::Solver: the state's vectors are not sized like the network's");
  }

  std::shared_ptr<Topology> topology(const std::vector<char>& closed);
  const Factor& factor(Topology& topo, std::size_t island, std::size_t ref);
  void find_bridges(Topology& topo) const;
  /// Balances each of `islands` (bus indices ascending; `island_of` per bus): fills the solution's islands, gen_mw,
  /// load_served and shed_mw, and `inject`, the net MW injection of each bus (0 in a dead island).
  void balance(const State& st, Balance rule, const std::vector<std::vector<std::size_t>>& islands,
               const std::vector<std::size_t>& island_of, Solution& sol, std::vector<double>& inject) const;
  void island_angles(Topology& topo, std::size_t k, std::size_t ref, const std::vector<double>& inject,
                     std::vector<double>& angle_deg);
  double flow(const Topology& topo, std::size_t k, const std::vector<double>& angle_deg) const;
  Solution solve(const State& st, Balance rule, Topology& topo);
  bool bridge_outage(const State& st, Balance rule, Topology& topo, const Solution& base, std::size_t k,
                     std::vector<double>& flow_mw, double& shed_mw);
};

std::shared_ptr<Topology> Solver::Impl::topology(const std::vector<char>& closed)
{
  if (auto it = cache.find(closed); it != cache.end())
    return it->second;
  auto topo = std::make_shared<Topology>();
  const std::size_t n = net.buses.size();
  const std::size_t m = net.branches.size();
  topo->conducting.assign(m, 0);
  topo->b.assign(m, 0);
  // union-find over buses, then islands numbered by their lowest bus
  std::vector<std::size_t> parent(n);
  for (std::size_t i = 0; i < n; ++i)
    parent[i] = i;
  auto find = [&](std::size_t i) {
    while (parent[i] != i)
      i = parent[i] = parent[parent[i]];
    return i;
  };
  for (std::size_t k = 0; k < m; ++k) {
    const Branch& br = net.branches[k];
    if (!closed[k] || br.from >= n || br.to >= n || !alive(net.buses[br.from]) || !alive(net.buses[br.to]))
      continue;
    topo->b[k] = susceptance(br);
    if (topo->b[k] == 0 || br.from == br.to)
      continue;
    topo->conducting[k] = 1;
    const std::size_t a = find(br.from), c = find(br.to);
    if (a != c)
      parent[std::max(a, c)] = std::min(a, c);
  }
  topo->island_of.assign(n, NONE);
  topo->position.assign(n, 0);
  std::vector<std::size_t> island_of_root(n, NONE);
  for (std::size_t i = 0; i < n; ++i) {
    const std::size_t r = find(i);
    if (island_of_root[r] == NONE) {
      island_of_root[r] = topo->islands.size();
      topo->islands.emplace_back();
    }
    const std::size_t k = island_of_root[r];
    topo->island_of[i] = k;
    topo->position[i] = topo->islands[k].size();
    topo->islands[k].push_back(i);
  }
  topo->branches_of.resize(topo->islands.size());
  for (std::size_t k = 0; k < m; ++k)
    if (topo->conducting[k])
      topo->branches_of[topo->island_of[net.branches[k].from]].push_back(k);

  if (cache.size() >= CACHE_LIMIT) {
    cache.erase(cache_order.front()); // a caller holding the topology keeps it alive (shared_ptr)
    cache_order.pop_front();
  }
  cache.emplace(closed, topo);
  cache_order.push_back(closed);
  return topo;
}

const Factor& Solver::Impl::factor(Topology& topo, std::size_t island, std::size_t ref)
{
  const auto key = std::make_pair(island, ref);
  if (auto it = topo.factors.find(key); it != topo.factors.end())
    return it->second;
  Factor& f = topo.factors[key];
  const auto& buses = topo.islands[island];
  f.reduced.assign(buses.size(), -1);
  int size = 0;
  for (std::size_t p = 0; p < buses.size(); ++p)
    if (buses[p] != ref)
      f.reduced[p] = size++;
  std::vector<Eigen::Triplet<double>> entries;
  for (std::size_t k : topo.branches_of[island]) {
    const Branch& br = net.branches[k];
    const double b = topo.b[k];
    const int i = f.reduced[topo.position[br.from]], j = f.reduced[topo.position[br.to]];
    if (i >= 0)
      entries.emplace_back(i, i, b);
    if (j >= 0)
      entries.emplace_back(j, j, b);
    if (i >= 0 && j >= 0) {
      entries.emplace_back(i, j, -b);
      entries.emplace_back(j, i, -b);
    }
  }
  SparseMatrix B(size, size);
  B.setFromTriplets(entries.begin(), entries.end());
  f.ldlt.compute(B);
  if (f.ldlt.info() != Eigen::Success) {
    f.use_lu = true;
    f.lu.analyzePattern(B);
    f.lu.factorize(B);
    if (f.lu.info() != Eigen::Success)
      throw std::runtime_error("power::Solver: singular susceptance matrix in island of bus " +
                               net.buses[buses.front()].id);
  }
  ++factorisations;
  return f;
}

// Tarjan's bridges over the conducting branches (iterative DFS; parallel branches are never bridges because the
// walk skips only the branch it came by, not every branch to the parent).
void Solver::Impl::find_bridges(Topology& topo) const
{
  const std::size_t n = net.buses.size();
  const std::size_t m = net.branches.size();
  topo.bridge.assign(m, 0);
  std::vector<std::vector<std::pair<std::size_t, std::size_t>>> adjacent(n); // (neighbour, branch)
  for (std::size_t k = 0; k < m; ++k)
    if (topo.conducting[k]) {
      adjacent[net.branches[k].from].emplace_back(net.branches[k].to, k);
      adjacent[net.branches[k].to].emplace_back(net.branches[k].from, k);
    }
  std::vector<std::size_t> order(n, NONE), low(n, 0);
  std::size_t counter = 0;
  struct Frame {
    std::size_t bus, via, next;
  };
  std::vector<Frame> stack;
  for (std::size_t root = 0; root < n; ++root) {
    if (order[root] != NONE)
      continue;
    order[root] = low[root] = counter++;
    stack.push_back({root, NONE, 0});
    while (!stack.empty()) {
      Frame& f = stack.back();
      if (f.next < adjacent[f.bus].size()) {
        const auto [to, k] = adjacent[f.bus][f.next++];
        if (k == f.via)
          continue;
        if (order[to] == NONE) {
          order[to] = low[to] = counter++;
          stack.push_back({to, k, 0});
        } else {
          low[f.bus] = std::min(low[f.bus], order[to]);
        }
      } else {
        const Frame done = f;
        stack.pop_back();
        if (!stack.empty()) {
          const std::size_t up = stack.back().bus;
          low[up] = std::min(low[up], low[done.bus]);
          if (low[done.bus] > order[up])
            topo.bridge[done.via] = 1;
        }
      }
    }
  }
  topo.bridges_known = true;
}

namespace {

/// Spreads `amount` MW over the generators `units` (indices into mw/cap) pro rata to their capacity, each between 0
/// and its capacity; what a capped unit cannot take goes to the others. Positive amount raises, negative lowers.
void pro_rata(std::vector<double>& mw, const std::vector<double>& cap, std::vector<std::size_t> units, double amount)
{
  const bool raise = amount > 0;
  double left = std::abs(amount);
  while (left > 0 && !units.empty()) {
    double total = 0;
    for (std::size_t g : units)
      total += cap[g];
    if (!(total > 0))
      return;
    // the units that would pass their limit take what they can and leave the round; the rest share the remainder
    std::vector<std::size_t> keep;
    bool capped = false;
    for (std::size_t g : units) {
      const double share = left * cap[g] / total;
      const double room = raise ? cap[g] - mw[g] : mw[g];
      if (share >= room) {
        mw[g] = raise ? cap[g] : 0.0;
        left -= room;
        capped = true;
      } else {
        keep.push_back(g);
      }
    }
    if (!capped) {
      for (std::size_t g : units)
        mw[g] += raise ? left * cap[g] / total : -left * cap[g] / total;
      return;
    }
    units = std::move(keep);
  }
}

} // namespace

void Solver::Impl::balance(const State& st, Balance rule, const std::vector<std::vector<std::size_t>>& islands,
                           const std::vector<std::size_t>& island_of, Solution& sol, std::vector<double>& inject) const
{
  const Balance balance = rule;
  const std::size_t n = net.buses.size();
  sol.gen_mw.assign(net.generators.size(), 0.0);
  sol.load_served.assign(net.loads.size(), 0);
  sol.shed_mw = 0;
  inject.assign(n, 0.0);

  std::vector<std::vector<std::size_t>> gens_of(islands.size()), loads_of(islands.size());
  for (std::size_t g = 0; g < net.generators.size(); ++g) {
    const std::size_t bus = net.generators[g].bus;
    if (st.gen_online[g] && bus < n && alive(net.buses[bus]))
      gens_of[island_of[bus]].push_back(g);
  }
  for (std::size_t l = 0; l < net.loads.size(); ++l)
    if (st.load_connected[l] && net.loads[l].bus < n)
      loads_of[island_of[net.loads[l].bus]].push_back(l);

  std::vector<double> capacity(net.generators.size(), 0.0);
  for (std::size_t g = 0; g < net.generators.size(); ++g)
    capacity[g] = std::max(0.0, st.gen_capacity[g]);

  sol.islands.assign(islands.size(), Island());
  for (std::size_t k = 0; k < islands.size(); ++k) {
    Island& island = sol.islands[k];
    island.buses = islands[k];
    const auto& gens = gens_of[k];
    auto& loads = loads_of[k];

    // the reference bus: the type-3 bus, else the bus of the largest online unit, else the lowest bus
    std::size_t ref = NONE;
    for (std::size_t b : island.buses)
      if (net.buses[b].type == BusType::reference) {
        ref = b;
        break;
      }
    std::size_t biggest = NONE;
    for (std::size_t g : gens)
      if (biggest == NONE || capacity[g] > capacity[biggest])
        biggest = g;
    if (ref == NONE)
      ref = biggest != NONE ? net.generators[biggest].bus : island.buses.front();
    island.reference = ref;

    const bool isolated = island.buses.size() == 1 && !alive(net.buses[island.buses.front()]);
    double total_capacity = 0;
    for (std::size_t g : gens)
      total_capacity += capacity[g];
    const bool generation = !isolated && !gens.empty() && (balance == Balance::reference || total_capacity > 0);
    if (!generation) { // a dead island: nothing flows, every load is unserved
      for (std::size_t l : loads)
        if (net.loads[l].mw > 0)
          island.shed_mw += net.loads[l].mw;
      sol.shed_mw += island.shed_mw;
      continue;
    }
    island.energised = true;

    double demand = 0;
    for (std::size_t b : island.buses)
      demand += net.buses[b].gs_mw;
    for (std::size_t l : loads)
      demand += net.loads[l].mw;
    std::vector<char> served(net.loads.size(), 0);
    for (std::size_t l : loads)
      served[l] = 1;

    if (balance == Balance::reference) {
      // rundcpf: the first online generator at the reference bus takes the whole mismatch
      double generation_mw = 0;
      for (std::size_t g : gens) {
        sol.gen_mw[g] = st.gen_setpoint[g];
        generation_mw += st.gen_setpoint[g];
      }
      for (std::size_t g : gens)
        if (net.generators[g].bus == ref) {
          sol.gen_mw[g] += demand - generation_mw;
          break;
        }
    } else {
      if (demand > total_capacity) { // under-frequency load shedding, whole loads by (priority, id)
        std::vector<std::size_t> order;
        for (std::size_t l : loads)
          if (net.loads[l].mw > 0)
            order.push_back(l);
        std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
          const Load &la = net.loads[a], &lb = net.loads[b];
          return la.priority != lb.priority ? la.priority < lb.priority : la.id < lb.id;
        });
        for (std::size_t l : order) {
          if (demand <= total_capacity)
            break;
          served[l] = 0;
          demand -= net.loads[l].mw;
          island.shed_mw += net.loads[l].mw;
        }
      }
      double generation_mw = 0;
      std::vector<std::size_t> units;
      for (std::size_t g : gens) {
        sol.gen_mw[g] = std::clamp(st.gen_setpoint[g], 0.0, capacity[g]);
        generation_mw += sol.gen_mw[g];
        if (capacity[g] > 0)
          units.push_back(g);
      }
      pro_rata(sol.gen_mw, capacity, units, demand - generation_mw);
      sol.shed_mw += island.shed_mw;
    }

    for (std::size_t l : loads)
      if (served[l]) {
        sol.load_served[l] = 1;
        inject[net.loads[l].bus] -= net.loads[l].mw;
        island.load_mw += net.loads[l].mw;
      }
    for (std::size_t b : island.buses) {
      inject[b] -= net.buses[b].gs_mw;
      island.load_mw += net.buses[b].gs_mw;
    }
    for (std::size_t g : gens) {
      inject[net.generators[g].bus] += sol.gen_mw[g];
      island.generation_mw += sol.gen_mw[g];
    }
  }
}

// B theta = P + Pshift on the factor of island `k` of `topo` with reference bus `ref`: writes the angles of its buses.
void Solver::Impl::island_angles(Topology& topo, std::size_t k, std::size_t ref, const std::vector<double>& inject,
                                 std::vector<double>& angle_deg)
{
  const double theta_ref = net.buses[ref].va_deg * DEG;
  angle_deg[ref] = net.buses[ref].va_deg;
  const auto& buses = topo.islands[k];
  if (buses.size() == 1)
    return;
  const Factor& f = factor(topo, k, ref);
  Eigen::VectorXd rhs = Eigen::VectorXd::Zero(static_cast<Eigen::Index>(buses.size() - 1));
  for (std::size_t p = 0; p < buses.size(); ++p)
    if (f.reduced[p] >= 0)
      rhs[f.reduced[p]] = inject[buses[p]] / net.base_mva;
  for (std::size_t br : topo.branches_of[k]) {
    const Branch& branch = net.branches[br];
    const double b = topo.b[br];
    const int i = f.reduced[topo.position[branch.from]], j = f.reduced[topo.position[branch.to]];
    const double shift = b * branch.shift_deg * DEG;
    if (i >= 0)
      rhs[i] += shift + (j < 0 ? b * theta_ref : 0.0);
    if (j >= 0)
      rhs[j] += -shift + (i < 0 ? b * theta_ref : 0.0);
  }
  const Eigen::VectorXd theta = f.solve(rhs);
  for (std::size_t p = 0; p < buses.size(); ++p)
    if (f.reduced[p] >= 0)
      angle_deg[buses[p]] = theta[f.reduced[p]] / DEG;
}

double Solver::Impl::flow(const Topology& topo, std::size_t k, const std::vector<double>& angle_deg) const
{
  const Branch& br = net.branches[k];
  return net.base_mva * topo.b[k] * (angle_deg[br.from] - angle_deg[br.to] - br.shift_deg) * DEG;
}

Solution Solver::Impl::solve(const State& st, Balance rule, Topology& topo)
{
  const std::size_t n = net.buses.size();
  const std::size_t m = net.branches.size();
  Solution sol;
  std::vector<double> inject;
  balance(st, rule, topo.islands, topo.island_of, sol, inject);
  sol.island = topo.island_of;
  sol.angle_deg.assign(n, 0.0);
  sol.flow_mw.assign(m, 0.0);
  sol.loading_pct.assign(m, 0.0);
  for (std::size_t k = 0; k < topo.islands.size(); ++k)
    if (sol.islands[k].energised)
      island_angles(topo, k, sol.islands[k].reference, inject, sol.angle_deg);
  for (std::size_t k = 0; k < m; ++k) {
    if (!topo.conducting[k] || !sol.islands[topo.island_of[net.branches[k].from]].energised)
      continue;
    sol.flow_mw[k] = flow(topo, k, sol.angle_deg);
    if (net.branches[k].rating_mw > 0)
      sol.loading_pct[k] = std::abs(sol.flow_mw[k]) / net.branches[k].rating_mw * 100.0;
  }
  return sol;
}

// The outage of bridge k of island `i` without a new factorisation: the island splits in two (the side of k's "to"
// end is found by a walk that does not cross k), each part is balanced on its own, and the angles are solved on the
// base topology's factor. Each part's injections sum to zero, so k carries nothing in that solution and every other
// flow is the one of the split network (angles differ from it by a constant per part, flows do not). False when a
// part cannot balance (the reference rule without a unit at the part's reference bus): the caller solves in full.
bool Solver::Impl::bridge_outage(const State& st, Balance rule, Topology& topo, const Solution& base, std::size_t k,
                                 std::vector<double>& flow_mw, double& shed_mw)
{
  const Branch& out = net.branches[k];
  const std::size_t i = topo.island_of[out.from];
  std::vector<std::vector<std::size_t>> islands = topo.islands;
  std::vector<std::size_t> island_of = topo.island_of;
  const std::size_t cut = islands.size(); // the new island: the part of k's "to" end
  std::vector<std::size_t> stack = {out.to};
  island_of[out.to] = cut;
  std::vector<std::vector<std::size_t>> incident(topo.islands[i].size());
  for (std::size_t l : topo.branches_of[i]) {
    incident[topo.position[net.branches[l].from]].push_back(l);
    incident[topo.position[net.branches[l].to]].push_back(l);
  }
  while (!stack.empty()) {
    const std::size_t bus = stack.back();
    stack.pop_back();
    for (std::size_t l : incident[topo.position[bus]]) {
      if (l == k)
        continue;
      const std::size_t other = net.branches[l].from == bus ? net.branches[l].to : net.branches[l].from;
      if (island_of[other] != cut) {
        island_of[other] = cut;
        stack.push_back(other);
      }
    }
  }
  islands.emplace_back();
  std::vector<std::size_t> rest;
  for (std::size_t b : topo.islands[i])
    (island_of[b] == cut ? islands[cut] : rest).push_back(b);
  islands[i] = std::move(rest);

  Solution split;
  std::vector<double> inject;
  balance(st, rule, islands, island_of, split, inject);
  for (std::size_t part : {i, cut}) {
    if (!split.islands[part].energised)
      continue;
    double sum = 0, scale = 1;
    for (std::size_t b : islands[part]) {
      sum += inject[b];
      scale += std::abs(inject[b]);
    }
    if (std::abs(sum) > 1e-9 * scale)
      return false;
  }
  std::vector<double> angle(net.buses.size(), 0.0);
  island_angles(topo, i, base.islands[i].reference, inject, angle);
  flow_mw = base.flow_mw;
  for (std::size_t l : topo.branches_of[i])
    flow_mw[l] = split.islands[island_of[net.branches[l].from]].energised ? flow(topo, l, angle) : 0.0;
  flow_mw[k] = 0;
  shed_mw = split.shed_mw;
  return true;
}

Solver::Solver(const Network& net) : impl_(std::make_unique<Impl>(net))
{
  if (!(net.base_mva > 0) || !std::isfinite(net.base_mva))
    throw std::invalid_argument("power::Solver: base_mva must be a positive finite number");
}
Solver::~Solver() = default;

const Network& Solver::network() const
{
  return impl_->net;
}
std::size_t Solver::factorisations() const
{
  return impl_->factorisations;
}

Solution Solver::solve(const State& state, Balance balance)
{
  impl_->check(state);
  const auto topo = impl_->topology(state.branch_closed);
  return impl_->solve(state, balance, *topo);
}

namespace {

void summarise(Contingency& c, const Network& net, const std::vector<double>& flow, std::size_t out)
{
  for (std::size_t k = 0; k < net.branches.size(); ++k) {
    if (k == out || net.branches[k].rating_mw <= 0)
      continue;
    const double loading = std::abs(flow[k]) / net.branches[k].rating_mw * 100.0;
    c.max_loading_pct = std::max(c.max_loading_pct, loading);
    if (loading > 100.0)
      c.overloaded.push_back(k);
  }
}

} // namespace

std::vector<Contingency> Solver::screen(const State& state, const ScreenOptions& options)
{
  impl_->check(state);
  const Network& net = impl_->net;
  const std::size_t m = net.branches.size();
  const auto topo = impl_->topology(state.branch_closed); // held: full re-solves below may evict it from the cache
  const Solution base = impl_->solve(state, options.balance, *topo);
  if (!topo->bridges_known)
    impl_->find_bridges(*topo);
  std::vector<Contingency> out;

  auto full = [&](Contingency& c, const State& changed, std::size_t branch_out) {
    const Solution s = solve(changed, options.balance);
    c.load_at_risk_mw = s.shed_mw;
    summarise(c, net, s.flow_mw, branch_out);
    if (options.keep_flows)
      c.flow_mw = s.flow_mw;
  };

  if (options.branches) {
    std::vector<double> flow(m);
    for (std::size_t k = 0; k < m; ++k) {
      if (!state.branch_closed[k])
        continue;
      Contingency c;
      c.kind = Contingency::Kind::branch;
      c.index = k;
      const Branch& br = net.branches[k];
      const std::size_t island = topo->conducting[k] ? topo->island_of[br.from] : NONE;
      if (island != NONE && topo->bridge[k] && base.islands[island].energised &&
          impl_->bridge_outage(state, options.balance, *topo, base, k, flow, c.load_at_risk_mw)) {
        c.islands = true;
        summarise(c, net, flow, k);
        if (options.keep_flows)
          c.flow_mw = flow;
      } else if (island == NONE || topo->bridge[k] || !base.islands[island].energised) {
        // islanding (or a branch that carries nothing by construction): the full solve with the balance rule
        c.islands = topo->bridge[k] != 0;
        State changed = state;
        changed.branch_closed[k] = 0;
        full(c, changed, k);
      } else {
        // LODF on the base factorisation: a transfer of 1 p.u. from `from` to `to` gives the PTDFs; the outage is a
        // transfer of f_k / (1 - PTDF_kk) that cancels the branch's flow.
        const std::size_t ref = base.islands[island].reference;
        const Factor& f = impl_->factor(*topo, island, ref);
        const auto& buses = topo->islands[island];
        Eigen::VectorXd rhs = Eigen::VectorXd::Zero(static_cast<Eigen::Index>(buses.size() - 1));
        const int i = f.reduced[topo->position[br.from]], j = f.reduced[topo->position[br.to]];
        if (i >= 0)
          rhs[i] += 1;
        if (j >= 0)
          rhs[j] -= 1;
        const Eigen::VectorXd dtheta = f.solve(rhs);
        auto angle = [&](std::size_t bus) {
          const int r = f.reduced[topo->position[bus]];
          return r >= 0 ? dtheta[r] : 0.0;
        };
        const double ptdf_kk = topo->b[k] * (angle(br.from) - angle(br.to));
        const double transfer = base.flow_mw[k] / (1.0 - ptdf_kk);
        flow = base.flow_mw;
        for (std::size_t l : topo->branches_of[island]) {
          const Branch& bl = net.branches[l];
          flow[l] += topo->b[l] * (angle(bl.from) - angle(bl.to)) * transfer;
        }
        flow[k] = 0;
        c.load_at_risk_mw = base.shed_mw;
        summarise(c, net, flow, k);
        if (options.keep_flows)
          c.flow_mw = flow;
      }
      out.push_back(std::move(c));
    }
  }
  if (options.generators) {
    for (std::size_t g = 0; g < net.generators.size(); ++g) {
      if (!state.gen_online[g])
        continue;
      Contingency c;
      c.kind = Contingency::Kind::generator;
      c.index = g;
      State changed = state;
      changed.gen_online[g] = 0;
      full(c, changed, NONE);
      out.push_back(std::move(c));
    }
  }
  return out;
}

} // namespace cyberex::power

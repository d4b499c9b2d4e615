/* ExerciseState: networked grids (docs/engine.md, "The grid in the state view"). The fold keeps what the records
 * change in a network (branches opened, tripped and closed, loads shed and restored, setpoints) and grid_flows()
 * re-does the engine's DC solve from it, so that the server, the after-action player and the report show the flows
 * the engine computed without a record per branch. */
#include "state/state.hpp"

#include <algorithm>
#include <cmath>

namespace cyberex {

using namespace state;

namespace {

// A unit's output comes rounded to 3 decimals (unit_output "mw"); the headroom covers the rounding of an island's
// units, so that the balance never sheds a load the engine served.
constexpr double HEADROOM_MW = 0.01;

std::string after_slash(const std::string& id)
{
  const auto slash = id.find('/');
  return slash == std::string::npos ? std::string() : id.substr(slash + 1);
}

double clean3(double x)
{
  const double r = round3(x);
  return r == 0 ? 0.0 : r; // no negative zero
}

} // namespace

void ExerciseState::Impl::init_grids()
{
  bool networked = false;
  for (const auto& g : sc->grids)
    networked = networked || g.networked();
  if (!networked)
    return;
  auto model = std::make_shared<GridModel>();
  model->networks = grid_networks(*sc);
  for (std::size_t k = 0; k < model->networks.size(); ++k) {
    GridNetwork& gn = model->networks[k];
    power::lay_out(gn.network);
    model->by_grid[sc->grids[static_cast<std::size_t>(gn.grid)].id] = k;
    const power::Network& net = gn.network;
    auto& branch = model->branch.emplace_back();
    for (std::size_t b = 0; b < net.branches.size(); ++b)
      branch[net.branches[b].id] = b;
    auto& load = model->load.emplace_back();
    for (std::size_t l = 0; l < net.loads.size(); ++l)
      load[net.loads[l].id] = l;
    auto& generator = model->generator.emplace_back();
    for (std::size_t g = 0; g < net.generators.size(); ++g)
      generator[net.generators[g].id] = g;
    NetFold f;
    for (const auto& br : net.branches)
      f.branch.push_back(br.in_service ? 0 : 1);
    f.load_shed.assign(net.loads.size(), 0);
    for (const auto& gen : net.generators)
      f.setpoint.push_back(gen.pg_mw);
    nets.push_back(std::move(f));
  }
  grid_model = std::move(model);
}

void ExerciseState::Impl::fold_grid(RecordType type, const std::string& subject, const Json& d)
{
  if (type != RecordType::branch_tripped && type != RecordType::breaker_opened && type != RecordType::breaker_closed &&
      type != RecordType::load_shed && type != RecordType::load_restored && type != RecordType::setpoint_changed)
    return;
  // "branch:GRID/ID", "load:GRID/ID", "generator:GRID/ID"; a unit's setpoint_changed names the unit's node, whose
  // output comes with its unit_output record
  const std::string id = id_of(subject);
  const std::string grid = str(d, "grid");
  auto it = grid_model->by_grid.find(grid);
  if (it == grid_model->by_grid.end() || id.rfind(grid + "/", 0) != 0)
    return;
  const std::size_t k = it->second;
  const std::string local = after_slash(id);
  NetFold& f = nets[k];
  auto find = [&](const std::map<std::string, std::size_t>& by_id) {
    auto found = by_id.find(local);
    return found == by_id.end() ? power::NONE : found->second;
  };
  if (subject.rfind("branch:", 0) == 0) {
    const std::size_t b = find(grid_model->branch[k]);
    if (b != power::NONE)
      f.branch[b] = type == RecordType::breaker_closed ? 0 : type == RecordType::branch_tripped ? 2 : 1;
  } else if (subject.rfind("load:", 0) == 0) {
    const std::size_t l = find(grid_model->load[k]);
    if (l != power::NONE && (type == RecordType::load_shed || type == RecordType::load_restored))
      f.load_shed[l] = type == RecordType::load_shed ? 1 : 0;
  } else if (subject.rfind("generator:", 0) == 0 && type == RecordType::setpoint_changed) {
    const std::size_t g = find(grid_model->generator[k]);
    if (g != power::NONE && d.contains("setpoint_mw") && d["setpoint_mw"].is_number())
      f.setpoint[g] = num(d, "setpoint_mw");
  }
}

std::vector<GridFlows> ExerciseState::grid_flows() const
{
  return impl_->flows();
}

std::vector<GridFlows> ExerciseState::Impl::flows() const
{
  const Impl& s = *this;
  std::vector<GridFlows> out;
  if (!s.grid_model)
    return out;
  for (std::size_t k = 0; k < s.grid_model->networks.size(); ++k) {
    const GridNetwork& gn = s.grid_model->networks[k];
    const power::Network& net = gn.network;
    const NetFold& f = s.nets[k];
    power::State st = power::initial_state(net);
    for (std::size_t b = 0; b < net.branches.size(); ++b)
      st.branch_closed[b] = f.branch[b] == 0 ? 1 : 0;
    for (std::size_t g = 0; g < net.generators.size(); ++g) {
      const Index u = g < gn.generator_node.size() ? gn.generator_node[g] : NO_INDEX;
      if (u < 0) { // a generator of an imported case: its setpoint, and the engine's balance over its capacity
        st.gen_setpoint[g] = std::min(f.setpoint[g], st.gen_capacity[g]);
        continue;
      }
      // a unit: the output the engine solved (before its first unit_output, the dispatch it starts from)
      const NodeState& ns = s.nodes[static_cast<std::size_t>(u)];
      const double mw = ns.output_mw ? *ns.output_mw : net.generators[g].pg_mw;
      st.gen_online[g] = mw > 0 ? 1 : 0;
      st.gen_setpoint[g] = mw;
      st.gen_capacity[g] = mw > 0 ? mw + HEADROOM_MW : 0;
    }
    for (std::size_t l = 0; l < net.loads.size(); ++l) {
      const Index n = l < gn.load_node.size() ? gn.load_node[l] : NO_INDEX;
      const bool lost = n >= 0 && s.nodes[static_cast<std::size_t>(n)].load_lost_mw.has_value();
      st.load_connected[l] = f.load_shed[l] || lost ? 0 : 1;
    }
    power::Solver solver(net);
    const power::Solution sol = solver.solve(st, power::Balance::governor);

    GridFlows gf;
    const Grid& grid = s.sc->grids[static_cast<std::size_t>(gn.grid)];
    gf.grid = grid.id;
    gf.name = grid.name;
    gf.islands = sol.islands.size();
    for (std::size_t b = 0; b < net.buses.size(); ++b) {
      const power::Bus& bus = net.buses[b];
      BusFlow v;
      v.id = bus.id;
      v.island = sol.island[b];
      v.energised = v.island < sol.islands.size() && sol.islands[v.island].energised;
      v.angle_deg = clean3(sol.angle_deg[b]);
      v.load_mw = v.energised ? bus.gs_mw : 0;
      v.x = bus.x;
      v.y = bus.y;
      gf.buses.push_back(std::move(v));
    }
    for (std::size_t l = 0; l < net.loads.size(); ++l) {
      const power::Load& load = net.loads[l];
      BusFlow& v = gf.buses[load.bus];
      v.has_load = true;
      if (sol.load_served[l])
        v.load_mw += load.mw;
      else if (load.mw > 0)
        v.shed_mw += load.mw;
    }
    for (std::size_t g = 0; g < net.generators.size(); ++g) {
      BusFlow& v = gf.buses[net.generators[g].bus];
      v.has_generator = true;
      v.generation_mw += sol.gen_mw[g];
    }
    for (BusFlow& v : gf.buses) {
      v.load_mw = clean3(v.load_mw);
      v.shed_mw = clean3(v.shed_mw);
      v.generation_mw = clean3(v.generation_mw);
    }
    for (std::size_t b = 0; b < net.branches.size(); ++b) {
      const power::Branch& br = net.branches[b];
      BranchFlow v;
      v.id = br.id;
      v.from = br.from;
      v.to = br.to;
      v.status = f.branch[b] == 0 ? "closed" : f.branch[b] == 2 ? "tripped" : "open";
      v.flow_mw = f.branch[b] == 0 ? clean3(sol.flow_mw[b]) : 0;
      v.loading_pct = f.branch[b] == 0 ? round2(sol.loading_pct[b]) : 0;
      v.rating_mw = br.rating_mw;
      gf.branches.push_back(std::move(v));
    }
    out.push_back(std::move(gf));
  }
  return out;
}

} // namespace cyberex

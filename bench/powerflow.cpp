/* DC power flow benchmark (bench/README.md, "DC power flow"): one solve and a full N-1 screening of IEEE case300 and
 * of a synthetic grid, each against a baseline measured in the same run.
 *
 *   solve:  the cached re-solve (factorisation re-used, new injections) against the first, factorising solve, and
 *           against a dense LU (Eigen::PartialPivLU) of the same reduced B, factored and solved per call
 *   N-1:    Solver::screen (LODF on the base factorisation; full solves for islanding and generator outages)
 *           against a full re-solve per outage (a new topology each: one factorisation per branch outage)
 *
 * usage: bench_powerflow [CASE.m] [--buses N] [--seed S] [--baseline-outages K]
 *   default: data/matpower/case300.m and a 4,000-bus synthetic grid (seed 1); the baseline N-1 of the synthetic grid
 *   runs the first K branch outages (default 400) and scales to all of them. Exit 1 if the screening and the full
 *   re-solves disagree by more than 1e-6 MW on a flow. */
#include "cyberex/powerflow.hpp"

#include <Eigen/Dense>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

namespace power = cyberex::power;

namespace {

double now()
{
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

double median(std::vector<double> v)
{
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

/// The reduced susceptance matrix of a network in one piece (reference bus: the first type-3 bus removed).
Eigen::MatrixXd dense_reduced_b(const power::Network& net, std::size_t ref)
{
  const auto n = static_cast<Eigen::Index>(net.buses.size());
  Eigen::MatrixXd B = Eigen::MatrixXd::Zero(n, n);
  for (const power::Branch& br : net.branches) {
    if (!br.in_service)
      continue;
    const double b = 1.0 / (br.x_pu * br.tap);
    const auto f = static_cast<Eigen::Index>(br.from), t = static_cast<Eigen::Index>(br.to);
    B(f, f) += b;
    B(t, t) += b;
    B(f, t) -= b;
    B(t, f) -= b;
  }
  std::vector<Eigen::Index> keep;
  for (Eigen::Index i = 0; i < n; ++i)
    if (static_cast<std::size_t>(i) != ref)
      keep.push_back(i);
  Eigen::MatrixXd R(static_cast<Eigen::Index>(keep.size()), static_cast<Eigen::Index>(keep.size()));
  for (std::size_t i = 0; i < keep.size(); ++i)
    for (std::size_t j = 0; j < keep.size(); ++j)
      R(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j)) = B(keep[i], keep[j]);
  return R;
}

int run(const std::string& label, const power::Network& net, std::size_t baseline_outages)
{
  std::size_t closed = 0;
  for (const power::Branch& br : net.branches)
    closed += br.in_service ? 1 : 0;
  std::printf("\n%s: %zu buses, %zu branches (%zu closed), %zu generators, %zu loads\n", label.c_str(),
              net.buses.size(), net.branches.size(), closed, net.generators.size(), net.loads.size());
  const power::State base = power::initial_state(net);

  // --- one solve
  power::Solver solver(net);
  double t0 = now();
  power::Solution s = solver.solve(base, power::Balance::governor);
  const double first = now() - t0;
  std::vector<double> times;
  power::State st = base;
  for (int i = 0; i < 200; ++i) {
    for (std::size_t g = 0; g < st.gen_setpoint.size(); ++g) // new injections, same topology
      st.gen_setpoint[g] = base.gen_setpoint[g] * (0.9 + 0.001 * ((i + static_cast<int>(g)) % 100));
    t0 = now();
    s = solver.solve(st, power::Balance::governor);
    times.push_back(now() - t0);
  }
  const double cached = median(times);
  std::printf("  solve, first (factorises):       %9.3f ms\n", first * 1e3);
  std::printf("  solve, cached factorisation:     %9.3f ms (median of 200; factorisations: %zu)\n", cached * 1e3,
              solver.factorisations());
  std::size_t ref = 0;
  for (std::size_t b = 0; b < net.buses.size(); ++b)
    if (net.buses[b].type == power::BusType::reference) {
      ref = b;
      break;
    }
  const Eigen::MatrixXd R = dense_reduced_b(net, ref);
  const Eigen::VectorXd rhs = Eigen::VectorXd::Ones(R.rows());
  const int dense_runs = net.buses.size() > 1000 ? 1 : 20;
  times.clear();
  double checksum = 0;
  for (int i = 0; i < dense_runs; ++i) {
    t0 = now();
    const Eigen::VectorXd x = Eigen::PartialPivLU<Eigen::MatrixXd>(R).solve(rhs);
    times.push_back(now() - t0);
    checksum += x[0];
  }
  const double dense = median(times);
  std::printf("  baseline, dense LU of reduced B: %9.3f ms (median of %d; %g)\n", dense * 1e3, dense_runs,
              checksum / dense_runs);
  std::printf("  ratio: cached solve is %.1fx faster than the first solve, %.1fx faster than dense LU\n",
              first / cached, dense / cached);

  // --- N-1
  power::Solver screener(net);
  power::ScreenOptions options; // as `cyberex analyze` screens: no flows kept
  t0 = now();
  const std::size_t screened = screener.screen(base, options).size();
  const double screen = now() - t0;
  options.keep_flows = true; // again with the flows, to compare them with the full re-solves
  const auto contingencies = screener.screen(base, options);
  if (contingencies.size() != screened)
    return 1;
  std::size_t islanding = 0, overloads = 0;
  for (const auto& c : contingencies) {
    islanding += c.islands ? 1 : 0;
    overloads += c.overloaded.empty() ? 0 : 1;
  }
  std::printf("  N-1 screen: %zu contingencies (%zu islanding, %zu with overloads) in %9.3f ms (%zu factorisations)\n",
              contingencies.size(), islanding, overloads, screen * 1e3, screener.factorisations());

  // baseline: a full re-solve per outage (a fresh topology per branch outage), on the first K outages
  power::Solver full(net);
  full.solve(base, power::Balance::governor);
  std::size_t done = 0;
  double worst = 0;
  t0 = now();
  for (const auto& c : contingencies) {
    if (done >= baseline_outages)
      break;
    power::State changed = base;
    if (c.kind == power::Contingency::Kind::branch)
      changed.branch_closed[c.index] = 0;
    else
      changed.gen_online[c.index] = 0;
    const power::Solution r = full.solve(changed, power::Balance::governor);
    for (std::size_t k = 0; k < r.flow_mw.size(); ++k)
      worst = std::max(worst, std::abs(r.flow_mw[k] - c.flow_mw[k]));
    ++done;
  }
  const double baseline = (now() - t0) * static_cast<double>(contingencies.size()) / static_cast<double>(done);
  std::printf("  baseline, full re-solve per outage: %9.3f ms%s\n", baseline * 1e3,
              done < contingencies.size() ? (" (" + std::to_string(done) + " outages measured, scaled)").c_str() : "");
  std::printf("  ratio: screening is %.1fx faster; largest flow difference to the full re-solves %.2e MW\n",
              baseline / screen, worst);
  return worst <= 1e-6 ? 0 : 1;
}

} // namespace

int main(int argc, char** argv)
{
  std::string file = std::string(CYBEREX_SOURCE_DIR) + "/data/matpower/case300.m";
  std::size_t buses = 4000;
  std::uint64_t seed = 1;
  std::size_t baseline_outages = 400;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--buses" && i + 1 < argc)
      buses = std::strtoull(argv[++i], nullptr, 10);
    else if (a == "--seed" && i + 1 < argc)
      seed = std::strtoull(argv[++i], nullptr, 10);
    else if (a == "--baseline-outages" && i + 1 < argc)
      baseline_outages = std::strtoull(argv[++i], nullptr, 10);
    else if (a[0] != '-')
      file = a;
    else {
      std::fprintf(stderr, "usage: bench_powerflow [CASE.m] [--buses N] [--seed S] [--baseline-outages K]\n");
      return 2;
    }
  }
  int status = 0;
  try {
    const power::Network net = power::read_matpower(file);
    status |= run(net.name, net, static_cast<std::size_t>(-1));
    const double t0 = now();
    const power::Network grid = power::synthetic_grid(buses, seed);
    std::printf("\nsynthetic_grid(%zu, %llu) built in %.1f ms\n", buses, static_cast<unsigned long long>(seed),
                (now() - t0) * 1e3);
    status |= run(grid.name, grid, baseline_outages);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "bench_powerflow: %s\n", e.what());
    return 1;
  }
  return status;
}

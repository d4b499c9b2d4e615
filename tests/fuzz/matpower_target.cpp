/* Target "matpower": the MATPOWER case reader on a file's bytes, then the DC power flow of what it returns. Beyond
 * "no crash, no hang": the reader returns a network or throws CaseError with a "file:line:column" location; a returned
 * network has valid bus indices, unique bus numbers and a reference bus, and the solver (both balance rules) returns
 * vectors sized like the network with every bus in one island; a small network is also screened (N-1). */
#include "support.hpp"
#include "targets.hpp"

#include "cyberex/powerflow.hpp"

#include <set>
#include <stdexcept>
#include <string>
#include <string_view>

namespace cyberex::fuzz {

int matpower_run(const std::uint8_t* data, std::size_t size)
{
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  power::Network net;
  try {
    net = power::parse_matpower(text, "fuzz.m");
  } catch (const power::CaseError& e) {
    const std::string& where = e.where();
    check(where.rfind("fuzz.m:", 0) == 0 && where.find(':', 7) != std::string::npos,
          "a CaseError without a file:line:column location: " + where);
    check(std::string(e.what()).size() > where.size() + 2, "a CaseError without a message");
    return 0;
  }
  check(!net.buses.empty(), "a network without buses");
  std::set<int> numbers;
  bool reference = false;
  for (const power::Bus& b : net.buses) {
    check(numbers.insert(b.number).second, "two buses numbered " + std::to_string(b.number));
    reference = reference || b.type == power::BusType::reference;
  }
  check(reference, "a network without a reference bus");
  for (const power::Branch& br : net.branches)
    check(br.from < net.buses.size() && br.to < net.buses.size() && br.from != br.to,
          "branch " + br.id + " does not join two buses");
  for (const power::Generator& g : net.generators)
    check(g.bus < net.buses.size(), "generator " + g.id + " at no bus");
  for (const power::Load& l : net.loads)
    check(l.bus < net.buses.size(), "load " + l.id + " at no bus");

  power::Solver solver(net);
  const power::State state = power::initial_state(net);
  for (power::Balance balance : {power::Balance::reference, power::Balance::governor}) {
    power::Solution s;
    try {
      s = solver.solve(state, balance);
    } catch (const std::runtime_error&) { // a singular susceptance matrix (negative reactances that cancel)
      return 0;
    }
    check(s.angle_deg.size() == net.buses.size() && s.island.size() == net.buses.size() &&
              s.flow_mw.size() == net.branches.size() && s.gen_mw.size() == net.generators.size() &&
              s.load_served.size() == net.loads.size(),
          "a solution not sized like the network");
    std::size_t in_islands = 0;
    for (const power::Island& island : s.islands)
      in_islands += island.buses.size();
    check(in_islands == net.buses.size(), "islands do not partition the buses");
    for (std::size_t b = 0; b < net.buses.size(); ++b)
      check(s.island[b] < s.islands.size(), "a bus outside every island");
  }
  if (net.branches.size() + net.generators.size() <= 200) { // N-1 costs one solve per outage: small inputs only
    power::ScreenOptions options;
    options.keep_flows = true;
    const auto contingencies = solver.screen(state, options);
    for (const power::Contingency& c : contingencies)
      check(c.flow_mw.size() == net.branches.size() && c.load_at_risk_mw >= 0, "a contingency without flows");
  }
  return 0;
}

} // namespace cyberex::fuzz

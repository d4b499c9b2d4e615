/* MATPOWER case writer (matpower_write.hpp). */
#include "cyberex/matpower_write.hpp"

#include <cctype>
#include <charconv>
#include <ostream>
#include <sstream>

namespace cyberex::power {

namespace {

/// The shortest decimal that reads back as exactly `x` (std::to_chars); "-0" written as "0".
std::string num(double x)
{
  if (x == 0)
    return "0";
  char buf[64];
  const auto r = std::to_chars(buf, buf + sizeof buf, x);
  return std::string(buf, r.ptr);
}

std::string identifier(const std::string& name)
{
  std::string out;
  for (char c : name)
    out += std::isalnum(static_cast<unsigned char>(c)) || c == '_' ? c : '_';
  if (out.empty() || !std::isalpha(static_cast<unsigned char>(out[0])))
    out = "case_" + out;
  return out;
}

} // namespace

void write_matpower(const Network& net, const std::string& function_name, std::ostream& out)
{
  std::vector<double> pd(net.buses.size(), 0.0);
  for (const Load& l : net.loads)
    if (l.bus < pd.size())
      pd[l.bus] += l.mw;

  out << "function mpc = " << identifier(function_name) << "\n"
      << "% " << (net.name.empty() ? "grid" : net.name) << ": " << net.buses.size() << " buses, " << net.branches.size()
      << " branches, " << net.generators.size() << " generators (written by cyberex; DC data only)\n"
      << "%   Please see CASEFORMAT for details on the case file format.\n\n"
      << "%% MATPOWER Case Format : Version 2\nmpc.version = '2';\n\n"
      << "%% system MVA base\nmpc.baseMVA = " << num(net.base_mva) << ";\n\n"
      << "%% bus data\n%\tbus_i\ttype\tPd\tQd\tGs\tBs\tarea\tVm\tVa\tbaseKV\tzone\tVmax\tVmin\nmpc.bus = [\n";
  for (std::size_t b = 0; b < net.buses.size(); ++b) {
    const Bus& bus = net.buses[b];
    out << '\t' << bus.number << '\t' << static_cast<int>(bus.type) << '\t' << num(pd[b]) << "\t0\t" << num(bus.gs_mw)
        << "\t0\t1\t1\t" << num(bus.va_deg) << "\t0\t1\t1.1\t0.9;\n";
  }
  out << "];\n\n%% generator data\n%\tbus\tPg\tQg\tQmax\tQmin\tVg\tmBase\tstatus\tPmax\tPmin\tPc1\tPc2\tQc1min\tQc1max"
         "\tQc2min\tQc2max\tramp_agc\tramp_10\tramp_30\tramp_q\tapf\nmpc.gen = [\n";
  for (const Generator& g : net.generators)
    out << '\t' << net.buses[g.bus].number << '\t' << num(g.pg_mw) << "\t0\t0\t0\t1\t" << num(net.base_mva) << '\t'
        << (g.in_service ? 1 : 0) << '\t' << num(g.pmax_mw) << '\t' << num(g.pmin_mw)
        << "\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0;\n";
  out << "];\n\n%% branch data\n%\tfbus\ttbus\tr\tx\tb\trateA\trateB\trateC\tratio\tangle\tstatus\tangmin\tangmax\n"
         "mpc.branch = [\n";
  for (const Branch& br : net.branches)
    out << '\t' << net.buses[br.from].number << '\t' << net.buses[br.to].number << "\t0\t" << num(br.x_pu) << "\t0\t"
        << num(br.rating_mw) << '\t' << num(br.rating_mw) << '\t' << num(br.rating_mw) << '\t'
        << (br.tap == 1 ? "0" : num(br.tap)) << '\t' << num(br.shift_deg) << '\t' << (br.in_service ? 1 : 0)
        << "\t-360\t360;\n";
  out << "];\n";
}

std::string matpower_text(const Network& net, const std::string& function_name)
{
  std::ostringstream out;
  write_matpower(net, function_name, out);
  return out.str();
}

} // namespace cyberex::power

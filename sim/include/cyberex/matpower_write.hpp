/* Writing a power::Network as a MATPOWER case file (the inverse of power::read_matpower), e.g. for
 * `cyberex generate grid`. */
#pragma once

#include "cyberex/powerflow.hpp"

#include <iosfwd>
#include <string>

namespace cyberex::power {

/// Writes `net` as a MATPOWER case (format version 2): mpc.baseMVA, mpc.bus (13 columns), mpc.gen (21 columns) and
/// mpc.branch (13 columns), in network order, numbers in their shortest exact decimal form, so that read_matpower
/// gives back the same network and MATPOWER the same DC power flow. A bus's PD is the sum of its loads (their
/// priorities and customers have no MATPOWER column and are not written); reactive power, resistance and line
/// charging, which the DC model ignores, are written as 0, voltages as 1 p.u. `function_name` names the case
/// function (MATPOWER expects the file's base name); characters other than letters, digits and '_' become '_'.
void write_matpower(const Network& net, const std::string& function_name, std::ostream& out);
std::string matpower_text(const Network& net, const std::string& function_name);

} // namespace cyberex::power

/* Internals of the scenario loader, in two passes: read_sections() turns each file's JSON into model entities
 * (types, units, unknown keys), resolve() links them (ids to indices, includes, topologies, uplinks) and checks the
 * whole scenario (references, times, triggers, ATT&CK, reachability). */
#pragma once

#include "context.hpp"

#include <optional>
#include <vector>

namespace cyberex::scenario_impl {

/// What a scenario file says that the model does not keep as such.
struct NodeExtra {
  std::string uplink;
  std::optional<double> uplink_bandwidth;
  std::optional<double> uplink_latency;
};

struct Extras {
  bool have_exercise = false;
  std::vector<NodeExtra> nodes;                    ///< one per node read from a file, same order as Scenario::nodes
  std::vector<std::optional<double>> inject_times; ///< one per inject: "time" relative to its move (or the start)
  std::vector<int> topology_files;                 ///< one per topology: the file that declares it
  std::vector<int> grid_files;                     ///< one per grid: the file that declares it
  std::vector<bool> actions_listed = std::vector<bool>(static_cast<std::size_t>(LAST_ACTION_TYPE) + 1, false);
};

/// The built-in duration and effects of an action type, used when the scenario does not list the type and for the
/// fields a listed type leaves out.
ActionSpec default_action(ActionType t);

/// Whether `name` is a time zone of the IANA tz database (timezones.cpp says how it is checked).
bool known_time_zone(const std::string& name);
/// Every name of the compiled-in list, sorted, for suggestions.
const std::vector<std::string>& time_zone_names();

/// Protocol names cyberex knows for steps and firewall rules (lower case, sorted), "any" included.
const std::vector<std::string>& protocol_names();

/// Reads the sections of file `file` into `s` (appending to every array).
void read_sections(Context& ctx, int file, bool main_file, Scenario& s, Extras& extras);

/// The reference checks of a trigger read from another file (a --play file's "when", origin in ctx's files) against a
/// resolved scenario: the same checks as the MSEL's triggers.
void check_trigger(Context& ctx, const Scenario& scenario, const Trigger& t, const Origin& o);

/// Resolves and checks the scenario once every file is read.
void resolve(Context& ctx, Scenario& s, Extras& extras);

} // namespace cyberex::scenario_impl

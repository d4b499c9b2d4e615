/* The cyberex command: one function per subcommand, each taking the arguments after its name. */
#pragma once

#include <cstdio>
#include <string>
#include <vector>

namespace cyberex::power {
struct Network;
} // namespace cyberex::power

namespace cyberex::cli {

using Args = std::vector<std::string>;

int cmd_validate(const Args& args);
int cmd_analyze(const Args& args);
int cmd_labels(const Args& args);
int cmd_run(const Args& args);
int cmd_generate(const Args& args);
int cmd_serve(const Args& args);
int cmd_client(const Args& args);
int cmd_batch(const Args& args);
int cmd_check(const Args& args);
int cmd_sensitivity(const Args& args);
int cmd_play(const Args& args);
int cmd_replay(const Args& args);
int cmd_report(const Args& args);
int cmd_whatif(const Args& args);
int cmd_powerflow(const Args& args);
int cmd_import(const Args& args);
int cmd_msel(const Args& args);

/// `cyberex powerflow`'s output for a grid: solved with the branches `outages` (indices) open, as a table or JSON.
/// `scenario`: a scenario's grid (governor balance always, ids printed), else a case file.
void print_powerflow(const power::Network& net, const std::vector<std::size_t>& outages, bool json, std::FILE* out,
                     bool scenario = false);

} // namespace cyberex::cli

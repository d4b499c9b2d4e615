/* The retry of a run whose child died, on one machine (the MPI side is tests/unit/mpi_batch.py): the same output as
 * a batch where nothing died, and one exact line on stderr naming the run. */
#include "cli_support.hpp"

#include <doctest/doctest.h>

#include <cstdlib>
#include <string>

namespace {

const std::string tutorial = "scenarios/tutorial/tutorial.json";

/// `cyberex ARGS` with CYBEREX_FAULT_KILL_SEED=seed in its environment (the test hook of child_runs.hpp).
cli_test::CliOutput with_fault(const std::string& seed, const std::string& args)
{
  ::setenv("CYBEREX_FAULT_KILL_SEED", seed.c_str(), 1);
  cli_test::CliOutput o = cli_test::run_cyberex(args);
  ::unsetenv("CYBEREX_FAULT_KILL_SEED");
  return o;
}

} // namespace

TEST_SUITE("mpi-retry")
{
  TEST_CASE("a batch run whose child is killed is retried once: same output, one line on stderr")
  {
    const std::string args = "batch " + tutorial + " --runs 4 --jobs 2 --seed-base 100 --json --quiet";
    const cli_test::CliOutput clean = cli_test::run_cyberex(args);
    REQUIRE(clean.status == 0);
    CHECK(clean.err == "");
    // seed 102 is the third run of seeds 100..103
    const cli_test::CliOutput killed = with_fault("102", args);
    CHECK(killed.status == 0);
    CHECK(killed.err == "cyberex batch: run 3 (seed 102) died (signal 9); retrying\n");
    CHECK(killed.out == clean.out);
  }

  TEST_CASE("the hook names a seed: a seed outside the batch kills nothing")
  {
    const std::string args = "batch " + tutorial + " --runs 2 --jobs 1 --seed-base 100 --json --quiet";
    const cli_test::CliOutput o = with_fault("99", args);
    CHECK(o.status == 0);
    CHECK(o.err == "");
  }

  TEST_CASE("cyberex check retries the same way: it shares run_children")
  {
    const std::string args = "check " + tutorial + " --runs 3 --jobs 2 --seed 100 --quiet";
    const cli_test::CliOutput clean = cli_test::run_cyberex(args);
    const cli_test::CliOutput killed = with_fault("100", args);
    CHECK(killed.status == clean.status);
    CHECK(killed.err == "cyberex check: run 1 (seed 100) died (signal 9); retrying\n" + clean.err);
    CHECK(killed.out == clean.out);
  }

  TEST_CASE("without mpirun, batch prints no MPI summary line")
  {
    const cli_test::CliOutput o =
        cli_test::run_cyberex("batch " + tutorial + " --runs 2 --jobs 2 --seed-base 100 --json");
    CHECK(o.status == 0);
    CHECK(o.err.find("ranks") == std::string::npos);
    CHECK(o.err.find("cyberex batch: 2/2 runs done (100%), 0 failed") != std::string::npos);
  }
}

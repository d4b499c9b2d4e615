# one file per subcommand
list(APPEND CYBEREX_CLI_SOURCES
  cli/cmd_validate.cpp
  cli/cmd_analyze.cpp
  cli/cmd_labels.cpp
  cli/cmd_run.cpp
  cli/cmd_generate.cpp
  cli/cmd_serve.cpp
  cli/cmd_client.cpp
  cli/cmd_batch.cpp
  cli/cmd_check.cpp
  cli/cmd_sensitivity.cpp
  cli/child_runs.cpp
  cli/batch_runs.cpp
  cli/mpi_runs.cpp
  cli/cmd_play.cpp
  cli/cmd_replay.cpp
  cli/cmd_report.cpp
  cli/cmd_whatif.cpp
  cli/cmd_powerflow.cpp
  cli/cmd_import.cpp
  cli/cmd_msel.cpp
  cli/options.cpp
)

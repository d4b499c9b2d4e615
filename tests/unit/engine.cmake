# tests of area 'engine': list sources in CYBEREX_TEST_SOURCES and declare suites with cyberex_suite(NAME quick|slow)
list(APPEND CYBEREX_TEST_SOURCES
  unit/engine_network_test.cpp
  unit/engine_flood_test.cpp
  unit/engine_model_test.cpp
  unit/engine_scenario_test.cpp
  unit/engine_routing_test.cpp
  unit/containment_test.cpp
  unit/consequences_test.cpp
)
cyberex_suite(engine-network quick)
cyberex_suite(engine-flood quick)
cyberex_suite(engine-campaign quick)
cyberex_suite(engine-power quick)
cyberex_suite(engine-cascade quick)
cyberex_suite(engine-calendar quick)
# containment (issue 13) through the CLI on tests/scenario/containment: the engine's rule, the same times in run,
# play and the team metric, the report's categories
cyberex_suite(engine-containment quick)
cyberex_suite(state-containment quick)
cyberex_suite(report-containment quick)
cyberex_suite(engine-scenarios slow)
cyberex_suite(engine-performance slow)
# dead equipment carries no traffic: probes around and from failed nodes, parallel links (quick)
cyberex_suite(engine-routing quick)
# analyze's cascade table against the engine after each node's failure, tutorial and Cyber Atlantic 2011 (slow)
cyberex_suite(engine-agreement slow)
# issue 14 (D): restore time per node kind, backups destroyed (T1490), field crews (close_breaker, refuel), public
# statements (engine, scenario fields, play's responses and the report)
cyberex_suite(engine-consequences quick)
cyberex_suite(scenario-consequences quick)
cyberex_suite(play-statement quick)
# storyline control (issue 14): not_before, retry until a deadline, scripted campaigns (engine-storyline), reading
# them (storyline-read), the step success times of `cyberex batch` on tests/scenario/storyline (storyline-batch), and
# Cyber Atlantic 2011's main storyline in >= 99 % of 200 runs (storyline-cyber-atlantic, slow)
list(APPEND CYBEREX_TEST_SOURCES unit/engine_storyline_test.cpp)
cyberex_suite(engine-storyline quick)
cyberex_suite(storyline-read quick)
cyberex_suite(storyline-batch quick)
cyberex_suite(storyline-cyber-atlantic slow)
# issue 14: a telecom operator filters a DDoS (filter_ddos, stop_filtering): the scenario fields (scenario-filtering) and
# play's responses on tests/scenario/filtering with the journal and the report (play-filtering); the engine's figures
# are in engine-flood
list(APPEND CYBEREX_TEST_SOURCES unit/ddos_filtering_test.cpp)
cyberex_suite(scenario-filtering quick)
cyberex_suite(play-filtering quick)

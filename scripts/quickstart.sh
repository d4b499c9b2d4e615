#!/usr/bin/env bash
# The main job: set up what is missing, build, and run the Cyber Atlantic 2011 exercise headless: 8 simulated hours
# with the teams' scripted responses and the White Cell's and evaluators' scripted drill, printing the KPIs and the
# leaderboard. The exercise journal and its HSEEP after-action report are written to build/.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
dir=scenarios/cyber-atlantic-2011
out=build/cyber-atlantic-2011
./build/sim/cyberex validate "$dir/cyber-atlantic-2011.json"
# Every scripted command is accepted; exit status 2 would mean the session refused some (each printed).
./build/sim/cyberex play "$dir/cyber-atlantic-2011.json" --play "$dir/responses.json" --script "$dir/drill.jsonl" \
  --journal "$out.journal"
./build/sim/cyberex report "$out.journal" -o "$out.aar.html"
echo
echo "journal:               $out.journal   (cyberex replay $out.journal --at 4h)"
echo "after-action report:   $out.aar.html"

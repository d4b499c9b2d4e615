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
# Exit status 2 means the exercise ran to its end but the session refused some scripted commands (each is printed:
# a team sharing or blocking an indicator it has not yet received); anything else is a failure.
status=0
./build/sim/cyberex play "$dir/cyber-atlantic-2011.json" --play "$dir/responses.json" --script "$dir/drill.jsonl" \
  --journal "$out.journal" || status=$?
if [ "$status" -ne 0 ] && [ "$status" -ne 2 ]; then
  exit "$status"
fi
./build/sim/cyberex report "$out.journal" -o "$out.aar.html"
echo
echo "journal:               $out.journal   (cyberex replay $out.journal --at 4h)"
echo "after-action report:   $out.aar.html"

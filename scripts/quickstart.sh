#!/usr/bin/env bash
# The main job: set up what is missing, build, and run the Cyber Atlantic 2011 exercise headless (8 simulated
# hours, the scripted team responses), printing its KPI table. The event stream is kept in build/.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
dir=scenarios/cyber-atlantic-2011
./build/sim/cyberex validate "$dir/cyber-atlantic-2011.json"
./build/sim/cyberex run "$dir/cyber-atlantic-2011.json" --until 8h --play "$dir/responses.json" \
  --events build/cyber-atlantic-2011.events.jsonl
echo "events written to build/cyber-atlantic-2011.events.jsonl"

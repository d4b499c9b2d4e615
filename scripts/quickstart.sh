#!/usr/bin/env bash
# The main job: set up what is missing, build, and run the Cyber Atlantic 2011 exercise headless.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
scenario=scenarios/cyber-atlantic-2011/cyber-atlantic-2011.json
./build/sim/cyberex validate "$scenario"
./build/sim/cyberex analyze "$scenario"

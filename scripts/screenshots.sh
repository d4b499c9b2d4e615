#!/bin/sh
# Regenerate the GUI screenshots in docs/ from a real drill of Cyber Atlantic 2011.
#
#   scripts/screenshots.sh [BUILD_DIR]      (default: build; needs the targets cyberex and cyberex-gui)
#
# The launcher, the controller console (and the question closing it asks) and a team console: a local `cyberex serve`
# of the scenario, stepped to 5 h (into move 2, the attack on the power company; the clock started then paused) with
# the scripted responses of the teams (responses.json) and the White Cell's and evaluators' part of the drill
# (drill.jsonl), sent by the controller at their times; each window is grabbed offscreen (QWidget::grab). Look at the
# PNGs after regenerating them.
set -eu
cd "$(dirname "$0")/.."
build=${1:-build}
gui="$build/gui/cyberex-gui"
export CYBEREX_BINARY="$build/sim/cyberex"
export QT_QPA_PLATFORM=offscreen
for f in "$gui" "$CYBEREX_BINARY"; do
  [ -x "$f" ] || { echo "screenshots.sh: $f not found: build the targets cyberex and cyberex-gui in $build" >&2; exit 1; }
done
scenario=scenarios/cyber-atlantic-2011
until=${CYBEREX_SCREENSHOT_UNTIL:-5h}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# a 1920x1080 screen (offscreen's default is 800x600, and the consoles fit the screen they are on, frame included)
export QT_QPA_PLATFORM="offscreen:configfile=$PWD/tests/gui/data/screen-1920x1080.json"
# the local drills keep their journals under ~/cyberex-drills (the launcher's default): a home of the script's own
mkdir -p "$work/home"
export HOME="$work/home"

# drill_script UNTIL: the teams' responses and the drill script as controller commands in time order (a team's command
# names the team), each preceded by a step of the clock to its time; the last line steps to UNTIL.
drill_script() {
python3 - "$scenario" "$1" <<'PY'
import json, re, sys
scenario, until = sys.argv[1], sys.argv[2]
def seconds(text):
    total = 0.0
    for value, unit in re.findall(r"(\d+(?:\.\d+)?)([dhms])", text):
        total += float(value) * {"d": 86400, "h": 3600, "m": 60, "s": 1}[unit]
    return total
players = {t["id"] for t in json.load(open(f"{scenario}/cyber-atlantic-2011.json"))["teams"]
           if t.get("role", "player") == "player"}
timeline = []
for n, r in enumerate(json.load(open(f"{scenario}/responses.json"))["responses"]):
    if "at" not in r:
        continue  # a conditional response ("when"): only the session's play decides when it goes out
    team, action = r["team"], r["action"]
    to = [t for t in r.get("to", []) if t in players]  # messages go to player teams only
    if action in ("share", "communicate") and to:
        cmd = {"type": "message", "team": team, "to": to, "text": r.get("text", "")}
        if r.get("indicators"):
            cmd["indicators"] = r["indicators"]
    elif action in ("report", "communicate", "share"):
        cmd = {"type": "sitrep", "team": team, "text": r.get("text", ""), "status": "reported"}
    else:
        cmd = {"type": "action", "team": team, "action": action}
        for k in ("target", "indicator", "vulnerability", "service", "text"):
            if k in r:
                cmd[k] = r[k]
    timeline.append((seconds(r["at"]), 0, n, cmd))
for n, line in enumerate(open(f"{scenario}/drill.jsonl")):
    if line.strip():
        e = json.loads(line)
        cmd = dict(e["command"])
        if e["as"].startswith("player:"):
            cmd["team"] = e["as"].split(":", 1)[1]
        timeline.append((seconds(e["at"]), 1, n, cmd))
end = seconds(until)
print(json.dumps({"type": "start"}))  # started, then paused: the clock is driven by steps from here
print(json.dumps({"type": "pause"}))
for at, _, _, cmd in sorted(timeline, key=lambda x: x[:3]):
    if at > end:
        break
    print(json.dumps({"type": "step", "to": "time", "time": at}))
    print(json.dumps(cmd))
print(json.dumps({"type": "step", "to": "time", "time": end}))
PY
}
drill_script "$until" > "$work/drill.jsonl"

# also the launcher before the drill starts (its journal field) and the question closing the console asks
"$gui" --scenario "$scenario/cyber-atlantic-2011.json" --script "$work/drill.jsonl" \
  --screenshot launcher=docs/gui-launcher.png \
  --screenshot map=docs/gui-controller.png --screenshot msel=docs/gui-msel.png --screenshot close=docs/gui-close.png \
  --team-screenshot cert-de=docs/gui-team.png
echo "screenshots.sh: wrote docs/gui-launcher.png docs/gui-controller.png docs/gui-msel.png docs/gui-close.png" \
  "docs/gui-team.png"
# The Evaluation tab at 7 h: after the White Cell's official assessments (5h30m, 6h40m) and most observations
drill_script 7h > "$work/drill-7h.jsonl"
"$gui" --scenario "$scenario/cyber-atlantic-2011.json" --script "$work/drill-7h.jsonl" \
  --screenshot evaluation=docs/gui-evaluation.png
echo "screenshots.sh: wrote docs/gui-evaluation.png"

# The map, the dashboard and the after-action player (gui/tools/screenshot.cpp, target cyberex-gui-shot) on a journal
# of the same drill played headless to the end, shown at H+05:46:40 (rtu-north offline, OT jump host isolated).
shot="$build/gui/cyberex-gui-shot"
[ -x "$shot" ] || { echo "screenshots.sh: $shot not found: build the target cyberex-gui-shot in $build" >&2; exit 1; }
"$CYBEREX_BINARY" play "$scenario/cyber-atlantic-2011.json" --journal "$work/ca2011.jsonl" --quiet \
  --play "$scenario/responses.json" --script "$scenario/drill.jsonl" > /dev/null
"$shot" map "$work/ca2011.jsonl" docs/gui-map.png --time 20800 --center ot-jump --zoom 5 --pan 470,40
"$shot" map "$work/ca2011.jsonl" docs/gui-map-full.png --time 20800 --size 1600x1000 # full view: site glyphs
"$shot" map "$work/ca2011.jsonl" docs/gui-map-full-1280.png --time 20800 --size 1280x800
# Cyber Europe 2012 (with its teams' responses) and the tutorial: full view and zoomed on a site (docs/gui.md, "Map")
"$CYBEREX_BINARY" play scenarios/cyber-europe-2012/cyber-europe-2012.json --journal "$work/ce2012.jsonl" --quiet \
  --play scenarios/cyber-europe-2012/responses.json > /dev/null
"$shot" map "$work/ce2012.jsonl" docs/gui-map-ce2012.png --time 3h --size 1600x1000
"$shot" map "$work/ce2012.jsonl" docs/gui-map-ce2012-zoom.png --time 3h --size 1600x1000 --center bank-nl-1-fw --zoom 1.5
"$CYBEREX_BINARY" play scenarios/tutorial/tutorial.json --journal "$work/tutorial.jsonl" --quiet > /dev/null
"$shot" map "$work/tutorial.jsonl" docs/gui-map-tutorial.png --time 2h --size 1600x1000
"$shot" map "$work/tutorial.jsonl" docs/gui-map-tutorial-zoom.png --time 2h --size 1600x1000 --center gov-fw --zoom 12
"$shot" dashboard "$work/ca2011.jsonl" docs/gui-dashboard.png --time 20800 --size 1500x800
"$shot" aar "$work/ca2011.jsonl" docs/gui-aar.png --time 20800 --size 1600x1000 --center ot-jump --zoom 3 --pan 250,-40
# The grid view (the after-action player's Grid tab, alone): grid-rhine at T+4h20m of the same journal, the
# industrial zone shed and Nordhafen down (docs/gui.md, "Grid view")
"$shot" grid "$work/ca2011.jsonl" docs/gui-grid.png --time 4h20m --size 1600x1000 --grid grid-rhine
echo "screenshots.sh: wrote docs/gui-map.png docs/gui-map-full.png docs/gui-map-full-1280.png docs/gui-map-ce2012.png docs/gui-map-ce2012-zoom.png docs/gui-map-tutorial.png docs/gui-map-tutorial-zoom.png docs/gui-dashboard.png docs/gui-aar.png docs/gui-grid.png"
# The dependency view at T+6h23m20s of the scripted play, during the power cascade (target gui-deps, docs/gui.md)
CYBEREX_SHOT_DIR=docs "$build/gui/tests/gui-deps" screenshots > /dev/null && echo "screenshots.sh: wrote docs/gui-dependencies.png docs/gui-dependencies-1280.png"
# Planning mode (docs/gui.md, "Planning mode"): Cyber Atlantic 2011 saved with a planted error and warning
CYBEREX_GUI_SCREENSHOTS=docs "$build/gui/tests/gui-plan" screenshots && echo "screenshots.sh: wrote docs/gui-plan.png docs/gui-plan-1280.png"

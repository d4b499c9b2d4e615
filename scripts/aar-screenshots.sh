#!/bin/bash
# Regenerates the after-action report screenshots in docs/ (aar-report.png, aar-kpis.png, aar-attack.png,
# interchange-links.png, interchange-layer.png) from the
# report of the scripted Cyber Atlantic 2011 drill, in headless Chromium (Debian package chromium).
#   bash scripts/aar-screenshots.sh [BUILD_DIR]      (default build; run scripts/quickstart.sh first, or it plays)
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
command -v chromium > /dev/null || { echo "aar-screenshots.sh: chromium not found (apt-get install chromium)" >&2; exit 1; }
out=$build/cyber-atlantic-2011
dir=scenarios/cyber-atlantic-2011
"$build/sim/cyberex" play "$dir/cyber-atlantic-2011.json" --play "$dir/responses.json" --script "$dir/drill.jsonl" \
  --journal "$out.journal" --quiet > /dev/null
"$build/sim/cyberex" report "$out.journal" -o "$out.aar.html"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
shoot() { # page, width x height, output
  chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --virtual-time-budget=3000 --window-size="$2" \
    --screenshot="$3" "file://$(realpath "$1")" 2> /dev/null > /dev/null
  echo "aar-screenshots.sh: wrote $3"
}
shoot "$out.aar.html" 1280,4000 docs/aar-report.png
# one section under the title band: the others hidden by a style rule in a copy of the page
for section in kpis:960 attack:900; do
  id=${section%%:*}
  sed "s|</head>|<style>section:not(#$id){display:none}</style></head>|" "$out.aar.html" > "$work/$id.html"
  shoot "$work/$id.html" "1280,${section##*:}" "docs/aar-$id.png"
done

# docs/interchange.md: the report's ATT&CK section linking its Navigator layers, and one layer as written
"$build/sim/cyberex" report "$out.journal" --format navigator -o "$work/layers" > /dev/null
"$build/sim/cyberex" report "$out.journal" -o "$work/links.html" --layers layers
sed -i "s|</head>|<style>section:not(#attack){display:none}</style></head>|" "$work/links.html"
shoot "$work/links.html" 1280,1450 docs/interchange-links.png
python3 - "$work/layers/exercise-ics-attack.json" "$work/layer.html" <<'PY'
import html, json, sys
text = json.dumps(json.load(open(sys.argv[1])), indent=2)
page = ("<html><head><style>body{font:13px monospace;margin:16px;background:#fff}h1{font:bold 15px sans-serif}"
        "pre{white-space:pre-wrap}</style></head><body><h1>layers/exercise-ics-attack.json (first lines)</h1><pre>"
        + html.escape("\n".join(text.splitlines()[:70])) + "\n...</pre></body></html>")
open(sys.argv[2], "w").write(page)
PY
shoot "$work/layer.html" 1000,1200 docs/interchange-layer.png

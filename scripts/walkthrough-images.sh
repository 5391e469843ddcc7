#!/usr/bin/env bash
# Draws the Get Started walkthrough's images (media/walkthrough/*.png) from screenshots that the e2e
# scenarios take of the sample workspace in a real VS Code, cropped to the part each step is about.
#   bash scripts/walkthrough-images.sh             # runs the five e2e specs first (under the host lock)
#   bash scripts/walkthrough-images.sh SHOT_DIR    # crops screenshots already in SHOT_DIR
# Needs rsvg-convert (apt-get install librsvg2-bin): a PNG inside an SVG whose viewBox is the crop.
set -euo pipefail
cd "$(dirname "$0")/.."
shots=${1:-}
if [ -z "$shots" ]; then
  shots=$(mktemp -d)
  npm run build --silent
  SCREENSHOT_DIR=$shots flock /tmp/vscode-host.lock node scripts/vscode-host/e2e.mjs view runsTree panelMetricChart panelComparison annotations
fi
out=media/walkthrough
mkdir -p "$out"

crop() { # crop <screenshot> <x> <y> <width> <height> <walkthrough image>
  local src=$shots/$1.png svg
  [ -f "$src" ] || { echo "missing screenshot $src" >&2; exit 1; }
  svg=$(mktemp --suffix=.svg)
  cat >"$svg" <<SVG
<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="$4" height="$5" viewBox="$2 $3 $4 $5">
  <image x="0" y="0" width="1400" height="850" xlink:href="file://$src"/>
</svg>
SVG
  rsvg-convert --unlimited "$svg" -o "$out/$6.png"
  rm -f "$svg"
  echo "$out/$6.png ($4×$5 from $1.png)"
}

# Screenshots are 1400×850 (scripts/vscode-host/host.mjs viewport); y 36 cuts the window's title bar.
crop view 0 36 560 380 open-runs                      # the side bar with both scenarios' runs
crop runs-tree-decision-opened 0 36 880 600 browse     # a turn expanded, a decision opened at its Action
crop panel-metric-chart 352 36 1048 684 chart         # the metric chart panel
crop panel-comparison 352 36 1048 560 compare         # three runs side by side
crop annotation-added 352 36 1048 590 annotate        # a comment thread on a world state

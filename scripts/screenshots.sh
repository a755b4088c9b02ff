#!/usr/bin/env bash
# Regenerates docs/screenshots/*.png: the studio on lqs-llama-13m with every view populated,
# through its scripted mode under a virtual X server (xvfb-run). About a minute on 2 cores.
#
#   scripts/screenshots.sh [BUILD_DIR]     (default: build; needs lqer-studio built there)
#
# 1. calibrate, quantize with the paper's W4A8 L²QER k=32 plan, evaluate (4 windows), rank
#    sweep (4 windows per rank), decompose one layer: spectrum, heatmap, layers, sweep, cost;
# 2. the same session again with the W2A8 k=256 preset (a second run + evaluation);
# 3. the session reopened from the database, the two quantize runs compared: sessions; the Rank
#    explorer after calibration, its curves and an evaluation of the plan: rank-explorer;
# 4. the lessons of the teaching mode (lesson-1.png .. lesson-5.png, one step each; lesson 3
#    and 5 on the calibrated session of step 1) and lesson 1 in presentation mode.
# The session database is a temporary file; screenshots over 300 KB are written with a palette.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
studio="$build/bin/lqer-studio"
model=../shared/models/lqs-llama-13m
text=../shared/data/lqs-corpus/heldout.txt
layer=model.layers.3.mlp.down_proj.weight
out=docs/screenshots
size=1400x900
[ -x "$studio" ] || { echo "screenshots.sh: $studio not found; build it first (scripts/build.sh)" >&2; exit 1; }
command -v xvfb-run >/dev/null || { echo "screenshots.sh: xvfb-run is needed (apt-get install xvfb)" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
db="$work/sessions.db"
run() { xvfb-run -a -s "-screen 0 1600x1000x24" "$studio" --db "$db" --size "$size" --language en "$@"; }

mkdir -p "$out"
run "$model" --calibrate --analyze --evaluate --eval-text "$text" --eval-windows 4 --rank-sweep --layer "$layer" \
  --view all --screenshot "$work/shot.png"
for view in spectrum heatmap layers sweep cost; do
  cp "$work/shot-$view.png" "$out/$view.png"
done
run --session 1 --preset w2a8-k256 --analyze --evaluate --eval-text "$text" --eval-windows 4 --quit
run --session 1 --compare last --sessions --view compare --screenshot "$out/sessions.png"
run "$model" --calibrate --rank-curves --evaluate --eval-text "$text" --eval-windows 4 --view ranks \
  --screenshot "$out/rank-explorer.png"
run "$model" --lesson 1 --step 2 --screenshot "$out/lesson-1.png"
run "$model" --lesson 2 --step 3 --screenshot "$out/lesson-2.png"
run --session 1 --lesson 3 --step 1 --screenshot "$out/lesson-3.png"
run "$model" --lesson 4 --step 2 --screenshot "$out/lesson-4.png"
run --session 1 --lesson 5 --step 1 --screenshot "$out/lesson-5.png"
run "$model" --lesson 1 --step 1 --presentation --screenshot "$out/presentation.png"
run ../shared/models/stories260K/stories260K.bin --lesson 2 --step 1 --screenshot "$out/lesson-2-stories260k.png"
ls -l "$out"/*.png

#!/usr/bin/env bash
# The main job: installs, builds, then quantizes lqs-llama-13m with plain MXINT, LQER and
# L²QER (W4A8, k = 32), calibrating on calib.txt and evaluating real perplexity on
# heldout.txt, and prints the comparison table. `--studio` opens the studio on the same model.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
bash scripts/build.sh
model=../shared/models/lqs-llama-13m
if [ "${1:-}" = "--studio" ]; then
  exec build/bin/lqer-studio "$model"
fi
build/bin/lqer quantize "$model" --compare \
  --calib ../shared/data/lqs-corpus/calib.txt \
  --eval ../shared/data/lqs-corpus/heldout.txt

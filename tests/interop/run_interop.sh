#!/usr/bin/env bash
# The GGUF export checked in llama.cpp itself (docs/GGUF_EXPORT.md, README "Export"):
#   1. f16 export vs our FP32 evaluation: perplexities within 0.1%;
#   2. q4_0 base (our engine with q8_0 activations) vs llama.cpp: within 0.3%;
#   3. q4_0 + LoRA (L²QER k = 32) vs our engine's same plan: within 0.3%, and lower than q4_0;
#   4. llama.cpp's tokenization of the evaluation text equals ours;
#   and, as a fifth row, q8_0 within 0.3%.
# The same token windows are scored by both engines (lqer eval --save-tokens). Skips (exit 77)
# when node or node-llama-cpp (scripts/install-deps.sh puts it in tools/node) is absent.
#
#   run_interop.sh LQER_BINARY SHARED_DIR NODE_TOOLS_DIR [WINDOWS]
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=common.sh
source "$HERE/common.sh" "$@"
MODEL="$SHARED/models/lqs-llama-13m"

# Our perplexity from `lqer eval` output ("perplexity  6.4819 (mean NLL ...)").
ours() {
  "$LQER" eval "$@" --text "$TEXT" --windows "$WINDOWS" "${COMMON[@]}" | awk '/^perplexity/ {print $2}'
}

"$LQER" calibrate "$MODEL" --text "$CALIB" --samples 8 -o "$WORK/stats.safetensors" --threads 2 >/dev/null
fp32=$("$LQER" eval "$MODEL" --text "$TEXT" --windows "$WINDOWS" --save-tokens "$WORK/ids.json" "${COMMON[@]}" \
  | awk '/^perplexity/ {print $2}')
q4=$(ours "$MODEL" "${Q4[@]}" --method plain --rank 0)
l2=$(ours "$MODEL" "${Q4[@]}" --method l2qer --rank 32 --low-rank f16 --stats "$WORK/stats.safetensors")

export_gguf() { # export_gguf NAME PLAN-OPTIONS...: DIR/NAME/model.gguf (+ lqer-lora.gguf)
  local name="$1"
  shift
  "$LQER" export "$MODEL" "$@" --format gguf -o "$WORK/$name" --threads 2 >"$WORK/$name.out"
}
bits() { # the export's bits per weight (NUMERICS §8, low-rank factors included)
  awk -F': ' '/bits\/weight/ { printf "%.2f", $NF }' "$WORK/$1.out"
}
q8=$(ours "$MODEL" --weight q8_0 --act q8_0 --method plain --rank 0)
export_gguf f16 --weight f16 --act none --method plain --rank 0
export_gguf q4 "${Q4[@]}" --method plain --rank 0
export_gguf l2 "${Q4[@]}" --method l2qer --rank 32 --low-rank f16 --stats "$WORK/stats.safetensors"
export_gguf q8 --weight q8_0 --act q8_0 --method plain --rank 0

# llama.cpp on the same windows, all runs in one process.
node "$HERE/llamacpp_eval.mjs" --tokens "$WORK/ids.json" --window 512 --windows "$WINDOWS" \
  --text "$TEXT" --text-tokens "$WORK/ids.json" \
  --run "f16=$WORK/f16/model.gguf" --run "q4=$WORK/q4/model.gguf" \
  --run "l2=$WORK/l2/model.gguf,$WORK/l2/lqer-lora.gguf" --run "q8=$WORK/q8/model.gguf" >"$WORK/llamacpp.json"
field() { node -e 'const r=JSON.parse(require("fs").readFileSync(process.argv[1],"utf8"));console.log(eval("r."+process.argv[2]))' "$WORK/llamacpp.json" "$1"; }
f16_cpp=$(field f16.perplexity)
q4_cpp=$(field q4.perplexity)
l2_cpp=$(field l2.perplexity)
q8_cpp=$(field q8.perplexity)
tokenize=$(field 'tokenize.tokenizeEqual')
size() { # total MB of the GGUF files in DIR
  du -cb "$WORK/$1"/*.gguf | awk 'END { printf "%.2f", $1 / 1e6 }'
}

printf '%-28s %6s %9s %10s %10s\n' "lqs-llama-13m, $WINDOWS windows" "bits" "GGUF MB" "lqer" "llama.cpp"
printf '%-28s %6s %9s %10s %10.4f\n' "f16 (lqer: fp32)" "$(bits f16)" "$(size f16)" "$fp32" "$f16_cpp"
printf '%-28s %6s %9s %10s %10.4f\n' "q8_0 (q8_0 activations)" "$(bits q8)" "$(size q8)" "$q8" "$q8_cpp"
printf '%-28s %6s %9s %10s %10.4f\n' "q4_0 (q8_0 activations)" "$(bits q4)" "$(size q4)" "$q4" "$q4_cpp"
printf '%-28s %6s %9s %10s %10.4f\n' "q4_0 + L2QER k=32 (LoRA)" "$(bits l2)" "$(size l2)" "$l2" "$l2_cpp"
echo "tokenization of $(basename "$TEXT") equal: $tokenize ($(field tokenize.textTokens) tokens)"
status=0
within "$f16_cpp" "$fp32" 0.1 || { echo "FAIL: f16 in llama.cpp $f16_cpp vs our fp32 $fp32 (> 0.1%)"; status=1; }
within "$q8_cpp" "$q8" 0.3 || { echo "FAIL: q8_0 in llama.cpp $q8_cpp vs ours $q8 (> 0.3%)"; status=1; }
within "$q4_cpp" "$q4" 0.3 || { echo "FAIL: q4_0 in llama.cpp $q4_cpp vs ours $q4 (> 0.3%)"; status=1; }
within "$l2_cpp" "$l2" 0.3 || { echo "FAIL: q4_0+LoRA in llama.cpp $l2_cpp vs ours $l2 (> 0.3%)"; status=1; }
awk -v a="$l2_cpp" -v b="$q4_cpp" 'BEGIN { exit !(a < b) }' \
  || { echo "FAIL: the LoRA correction does not lower llama.cpp's perplexity ($l2_cpp vs $q4_cpp)"; status=1; }
[ "$tokenize" = "true" ] \
  || { echo "FAIL: llama.cpp tokenizes the text differently"; status=1; }
[ $status -eq 0 ] && echo "interop: all checks pass"
exit $status

#!/usr/bin/env bash
# The GGUF export checked in llama.cpp itself (docs/GGUF_EXPORT.md, README "Export"):
#   1. f16 export vs our FP32 evaluation: perplexities within 0.1%;
#   2. q4_0 base (our engine with q8_0 activations) vs llama.cpp: within 0.3%;
#   3. q4_0 + LoRA (L²QER k = 32) vs our engine's same plan: within 0.3%, and lower than q4_0;
#   4. llama.cpp's tokenization of the evaluation text equals ours.
# The same token windows are scored by both engines (lqer eval --save-tokens). Skips (exit 77)
# when node or node-llama-cpp (scripts/install-deps.sh puts it in tools/node) is absent.
#
#   run_interop.sh LQER_BINARY SHARED_DIR NODE_TOOLS_DIR [WINDOWS]
set -euo pipefail

LQER="$1"
SHARED="$2"
export LQER_NODE_TOOLS="$3"
WINDOWS="${4:-4}"
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
MODEL="$SHARED/models/lqs-llama-13m"
TEXT="$SHARED/data/lqs-corpus/heldout.txt"
CALIB="$SHARED/data/lqs-corpus/calib.txt"

if ! command -v node >/dev/null 2>&1; then
  echo "SKIP: node is not installed (scripts/install-deps.sh installs it and node-llama-cpp)"
  exit 77
fi
if [ ! -f "$LQER_NODE_TOOLS/node_modules/node-llama-cpp/package.json" ]; then
  echo "SKIP: node-llama-cpp is not installed in $LQER_NODE_TOOLS (run scripts/install-deps.sh)"
  exit 77
fi

WORK="$(mktemp -d)"
# lqer's progress lines go to a log, shown when a step fails.
exec 3>&2 2>"$WORK/stderr.log"
trap 'code=$?; if [ $code -ne 0 ]; then tail -20 "$WORK/stderr.log" >&3; fi; rm -rf "$WORK"; exit $code' EXIT
COMMON=(--no-record --threads 2)
Q4=(--weight q4_0 --act q8_0)

# Our perplexity from `lqer eval` output ("perplexity  6.4819 (mean NLL ...)").
ours() {
  "$LQER" eval "$@" --text "$TEXT" --windows "$WINDOWS" "${COMMON[@]}" | awk '/^perplexity/ {print $2}'
}
# llama.cpp's perplexity on the same windows.
theirs() {
  node "$HERE/llamacpp_eval.mjs" --tokens "$WORK/ids.json" --window 512 --windows "$WINDOWS" "$@" \
    | tee -a "$WORK/llamacpp.log" | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).perplexity))'
}
within() { # within A B PERCENT: |A/B - 1| <= PERCENT/100
  awk -v a="$1" -v b="$2" -v p="$3" 'BEGIN { d = (a / b - 1) * 100; if (d < 0) d = -d; exit !(d <= p) }'
}

"$LQER" calibrate "$MODEL" --text "$CALIB" --samples 8 -o "$WORK/stats.safetensors" --threads 2 >/dev/null
fp32=$("$LQER" eval "$MODEL" --text "$TEXT" --windows "$WINDOWS" --save-tokens "$WORK/ids.json" "${COMMON[@]}" \
  | awk '/^perplexity/ {print $2}')
q4=$(ours "$MODEL" "${Q4[@]}" --method plain --rank 0)
l2=$(ours "$MODEL" "${Q4[@]}" --method l2qer --rank 32 --low-rank f16 --stats "$WORK/stats.safetensors")

"$LQER" export "$MODEL" --weight f16 --act none --method plain --rank 0 --format gguf -o "$WORK/f16" --threads 2 >/dev/null
"$LQER" export "$MODEL" "${Q4[@]}" --method plain --rank 0 --format gguf -o "$WORK/q4" --threads 2 >/dev/null
"$LQER" export "$MODEL" "${Q4[@]}" --method l2qer --rank 32 --low-rank f16 --stats "$WORK/stats.safetensors" \
  --format gguf -o "$WORK/l2" --threads 2 >/dev/null

f16_cpp=$(theirs --model "$WORK/f16/model.gguf" --text "$TEXT" --text-tokens "$WORK/ids.json")
tokenize=$(tail -1 "$WORK/llamacpp.log")
q4_cpp=$(theirs --model "$WORK/q4/model.gguf")
l2_cpp=$(theirs --model "$WORK/l2/model.gguf" --lora "$WORK/l2/lqer-lora.gguf")

printf '%-26s %10s %10s\n' "lqs-llama-13m, $WINDOWS windows" "lqer" "llama.cpp"
printf '%-26s %10s %10s\n' "f16 (ours: fp32)" "$fp32" "$f16_cpp"
printf '%-26s %10s %10s\n' "q4_0 (ours: q8_0 acts)" "$q4" "$q4_cpp"
printf '%-26s %10s %10s\n' "q4_0 + L2QER k=32 (LoRA)" "$l2" "$l2_cpp"
echo "tokenization: $tokenize"

status=0
within "$f16_cpp" "$fp32" 0.1 || { echo "FAIL: f16 in llama.cpp $f16_cpp vs our fp32 $fp32 (> 0.1%)"; status=1; }
within "$q4_cpp" "$q4" 0.3 || { echo "FAIL: q4_0 in llama.cpp $q4_cpp vs ours $q4 (> 0.3%)"; status=1; }
within "$l2_cpp" "$l2" 0.3 || { echo "FAIL: q4_0+LoRA in llama.cpp $l2_cpp vs ours $l2 (> 0.3%)"; status=1; }
awk -v a="$l2_cpp" -v b="$q4_cpp" 'BEGIN { exit !(a < b) }' \
  || { echo "FAIL: the LoRA correction does not lower llama.cpp's perplexity ($l2_cpp vs $q4_cpp)"; status=1; }
echo "$tokenize" | grep -q '"tokenizeEqual":true' \
  || { echo "FAIL: llama.cpp tokenizes the text differently"; status=1; }
[ $status -eq 0 ] && echo "interop: all four checks pass"
exit $status

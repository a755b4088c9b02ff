#!/usr/bin/env bash
# The GGUF export of GPT-2 and GPT-NeoX checked in llama.cpp itself (docs/GGUF_EXPORT.md), on
# tiny random checkpoints (make_tiny_models: 2 blocks, width 64, 4 heads, 256 positions, a
# byte-level BPE tokenizer of 512 tokens learned from the calibration text; GPT-NeoX with
# partial rotary (8 of 16 dims), parallel residual and GELU's tanh form, which llama.cpp computes). Per architecture:
#   1. f16 export vs our FP32 evaluation: perplexities within 0.1%;
#   2. q4_0 base (our engine with q8_0 activations) vs llama.cpp: within 0.3%;
#   3. q4_0 + LoRA (L²QER k = 16, f16 factors) vs our engine's same plan: within 0.3%;
#   4. llama.cpp's tokenization of the evaluation text equals ours.
# Skips (exit 77) when node or node-llama-cpp (tools/node) is absent.
#
#   run_interop_archs.sh LQER_BINARY SHARED_DIR NODE_TOOLS_DIR WINDOWS MAKE_TINY_MODELS
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=common.sh
source "$HERE/common.sh" "$@"
MAKE_MODELS="$5"
WINDOW=256 # the tiny models' positions
"$MAKE_MODELS" "$WORK/models" "$CALIB"

ppl() { awk '/^perplexity/ {print $2}'; }
status=0
printf '%-30s %10s %10s\n' "tiny models, $WINDOWS x $WINDOW tokens" "lqer" "llama.cpp"
for arch in gpt2 gpt_neox; do
  model="$WORK/models/$arch"
  out="$WORK/$arch"
  mkdir -p "$out"
  ours() { "$LQER" eval "$model" "$@" --text "$TEXT" --windows "$WINDOWS" "${COMMON[@]}" | ppl; }
  export_gguf() { # export_gguf NAME PLAN-OPTIONS...
    local name="$1"
    shift
    "$LQER" export "$model" "$@" --format gguf -o "$out/$name" "${COMMON[@]}" >"$out/$name.out"
  }
  "$LQER" calibrate "$model" --text "$CALIB" --samples 8 -o "$out/stats.safetensors" --threads 2 >/dev/null
  fp32=$("$LQER" eval "$model" --text "$TEXT" --windows "$WINDOWS" --save-tokens "$out/ids.json" "${COMMON[@]}" | ppl)
  q4=$(ours "${Q4[@]}" --method plain --rank 0)
  l2=$(ours "${Q4[@]}" --method l2qer --rank 16 --low-rank f16 --stats "$out/stats.safetensors")
  export_gguf f16 --weight f16 --act none --method plain --rank 0
  export_gguf q4 "${Q4[@]}" --method plain --rank 0
  export_gguf l2 "${Q4[@]}" --method l2qer --rank 16 --low-rank f16 --stats "$out/stats.safetensors"
  node "$HERE/llamacpp_eval.mjs" --tokens "$out/ids.json" --window "$WINDOW" --windows "$WINDOWS" \
    --text "$TEXT" --text-tokens "$out/ids.json" \
    --run "f16=$out/f16/model.gguf" --run "q4=$out/q4/model.gguf" \
    --run "l2=$out/l2/model.gguf,$out/l2/lqer-lora.gguf" >"$out/llamacpp.json"
  field() { node -e 'const r=JSON.parse(require("fs").readFileSync(process.argv[1],"utf8"));console.log(eval("r."+process.argv[2]))' "$out/llamacpp.json" "$1"; }
  f16_cpp=$(field f16.perplexity)
  q4_cpp=$(field q4.perplexity)
  l2_cpp=$(field l2.perplexity)
  printf '%-30s %10s %10.4f\n' "$arch f16 (lqer: fp32)" "$fp32" "$f16_cpp"
  printf '%-30s %10s %10.4f\n' "$arch q4_0 (q8_0 activations)" "$q4" "$q4_cpp"
  printf '%-30s %10s %10.4f\n' "$arch q4_0 + L2QER k=16 (LoRA)" "$l2" "$l2_cpp"
  echo "$arch: tokenization of $(basename "$TEXT") equal: $(field tokenize.tokenizeEqual) ($(field tokenize.textTokens) tokens)"
  within "$f16_cpp" "$fp32" 0.1 || { echo "FAIL: $arch f16 in llama.cpp $f16_cpp vs our fp32 $fp32 (> 0.1%)"; status=1; }
  within "$q4_cpp" "$q4" 0.3 || { echo "FAIL: $arch q4_0 in llama.cpp $q4_cpp vs ours $q4 (> 0.3%)"; status=1; }
  within "$l2_cpp" "$l2" 0.3 || { echo "FAIL: $arch q4_0+LoRA in llama.cpp $l2_cpp vs ours $l2 (> 0.3%)"; status=1; }
  [ "$(field tokenize.tokenizeEqual)" = "true" ] \
    || { echo "FAIL: $arch: llama.cpp tokenizes the text differently: $(field 'tokenize.firstDifference')"; status=1; }
done
[ $status -eq 0 ] && echo "interop_archs: all checks pass"
exit $status

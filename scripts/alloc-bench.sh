#!/usr/bin/env bash
# Allocated versus best uniform plans: for each model and budget (average bits per weight),
# `lqer allocate` chooses a weight format and rank per layer, and the best uniform plan (one
# format and rank for every layer, over the same candidates) within the same budget is kept
# beside it; both are evaluated on the first WINDOWS windows of heldout.txt against the FP32
# model (perplexity ± σ, mean KL, top-1 agreement). Prints a Markdown table and draws the
# Pareto plot (average bits vs perplexity) to PLOT.
#
#   scripts/alloc-bench.sh                      # both models, budgets 4.75 5.0 5.6, 40 windows
#   MODELS="lqs-llama-13m" BUDGETS="5.0" WINDOWS=8 scripts/alloc-bench.sh
set -euo pipefail
cd "$(dirname "$0")/.."

LQER=${LQER:-build/bin/lqer}
SHARED=${SHARED:-../shared}
OUT=${OUT:-build/alloc-bench}
MODELS=${MODELS:-"lqs-llama-13m lqs-opt-14m"}
BUDGETS=${BUDGETS:-"4.75 5.0 5.6"}
WINDOWS=${WINDOWS:-40}
OBJECTIVE=${OBJECTIVE:-measured} # measured: each layer's curve scaled by its KL measured alone (8 windows of calib.txt)
PLOT=${PLOT:-docs/screenshots/alloc-pareto.png}
CALIB=$SHARED/data/lqs-corpus/calib.txt
TEXT=$SHARED/data/lqs-corpus/heldout.txt
mkdir -p "$OUT"
RESULTS=$OUT/results.tsv
printf 'model\tbudget\tplan\tbits\tppl\tppl_err\tkl\tkl_err\ttop1\tdesc\n' >"$RESULTS"

# "bits ppl ppl_err kl kl_err top1" from `lqer eval` output.
parse() {
  awk '/bits\/weight\)/ { if (match($0, /[0-9.]+ bits\/weight/)) { split(substr($0, RSTART, RLENGTH), a, " "); bits = a[1] } }
       /^perplexity/ { ppl = $2; perr = $4 }
       /^KL / { kl = $3; klerr = $5; sub(",", "", klerr) }
       /^top-1/ { top = $2 }
       END { printf "%s\t%s\t%s\t%s\t%s\t%s", bits, ppl, perr, kl, klerr, top }'
}

for model in $MODELS; do
  M=$SHARED/models/$model
  stats=$OUT/$model-stats.safetensors
  curves=$OUT/$model-curves.json
  logits=$OUT/$model-fp32.logits
  [ -f "$stats" ] || "$LQER" calibrate "$M" --text "$CALIB" -o "$stats" >/dev/null 2>&1
  budget_args=()
  for b in $BUDGETS; do budget_args+=(--budget "$b"); done
  if [ -f "$curves" ]; then src=(--curves "$curves"); else src=(--save-curves "$curves"); fi
  # The measured objective needs the calibration text itself (its windows for the KL).
  if [ "$OBJECTIVE" = measured ]; then calib=(--calib "$CALIB" --text "$CALIB"); else calib=(--stats "$stats"); fi
  if [ "$OBJECTIVE" = measured ] && [ "${src[0]}" = --curves ]; then src+=(--save-curves "$curves.measured"); fi
  "$LQER" allocate "$M" "${calib[@]}" --objective "$OBJECTIVE" "${src[@]}" "${budget_args[@]}" \
    -o "$OUT/$model-alloc.json" --save-uniform "$OUT/$model-uniform.json" >"$OUT/$model-allocate.txt" 2>&1
  fp=$("$LQER" eval "$M" --text "$TEXT" --windows "$WINDOWS" --save-logits "$logits" --no-record 2>/dev/null | parse)
  printf '%s\t-\tFP32\t%s\tfp32\n' "$model" "$fp" | awk -F'\t' 'BEGIN{OFS="\t"} {$4=32; print}' >>"$RESULTS"
  for b in $BUDGETS; do
    for kind in alloc uniform; do
      # lqer allocate names the files by the budget as it prints it (5.0 -> 5).
      plan=$(ls "$OUT/$model-$kind-$(printf '%g' "$b")-bits-weight.json" 2>/dev/null || true)
      [ -n "$plan" ] || plan="$OUT/$model-$kind.json"
      if [ "$kind" = uniform ]; then
        desc=$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1]))["defaults"]; print(d["weight"], "k=%d" % d["rank"])' "$plan")
      else
        desc="per layer"
      fi
      r=$("$LQER" eval "$M" --plan "$plan" --stats "$stats" --text "$TEXT" --windows "$WINDOWS" \
        --kl-base "$logits" --no-record 2>/dev/null | parse)
      printf '%s\t%s\t%s\t%s\t%s\n' "$model" "$b" "$kind" "$r" "$desc" >>"$RESULTS"
    done
  done
  rm -f "$logits"
done

echo "| model | budget | plan | avg bits | heldout ppl ± σ | mean KL ± σ | top-1 % |"
echo "|---|---|---|---|---|---|---|"
awk -F'\t' 'NR > 1 { name = ($3 == "alloc") ? "allocated" : ($3 == "uniform") ? "best uniform: " $10 : $3;
  printf "| %s | %s | %s | %s | %s ± %s | %s | %s |\n", $1, $2, name, $4, $5, $6, ($7 == "" ? "-" : $7 " ± " $8), ($9 == "" ? "-" : $9) }' "$RESULTS"

# The Pareto plot: average bits vs heldout perplexity, one panel per model; llama.cpp's own
# Q4_0 / Q5_0 / Q8_0 points on lqs-llama-13m (its CPU path, W4A8-like; measured in the GGUF
# interop run on the same 40 windows) beside them.
mkdir -p "$(dirname "$PLOT")"
cat >"$OUT/llamacpp.tsv" <<'TSV'
lqs-llama-13m	4.5	7.8535	Q4_0
lqs-llama-13m	5.5	7.7936	Q5_0
lqs-llama-13m	8.5	7.7654	Q8_0
TSV
n=$(echo $MODELS | wc -w)
{
  echo "set terminal pngcairo size $((560 * n)),440 font 'DejaVu Sans,10'"
  echo "set output '$PLOT'"
  echo "set multiplot layout 1,$n"
  echo "set termoption noenhanced; set offsets 0.15, 0.15, 0, 0"
  echo "set key top right; set grid; set xlabel 'average bits per weight'; set ylabel 'heldout perplexity ($WINDOWS windows)'"
  echo "set datafile separator '\t'"
  for model in $MODELS; do
    echo "set title '$model'"
    echo "fp = system(\"awk -F'\\t' '\$1==\\\"$model\\\" && \$3==\\\"FP32\\\" {print \$5}' $RESULTS\")"
    echo "set arrow 1 from graph 0, first fp to graph 1, first fp nohead dt 2 lc rgb 'gray'"
    echo "plot '< awk -F\"\\t\" \"\\\$1==\\\"$model\\\" && \\\$3==\\\"uniform\\\"\" $RESULTS' using 4:5:6 with yerrorlines lw 2 pt 7 title 'best uniform', \\"
    echo "     '< awk -F\"\\t\" \"\\\$1==\\\"$model\\\" && \\\$3==\\\"alloc\\\"\" $RESULTS' using 4:5:6 with yerrorlines lw 2 pt 5 title 'allocated', \\"
    echo "     '< awk -F\"\\t\" \"\\\$1==\\\"$model\\\"\" $OUT/llamacpp.tsv' using 2:3:4 with labels point pt 9 offset 0,1 notitle, \\"
    echo "     '< awk -F\"\\t\" \"\\\$1==\\\"$model\\\"\" $OUT/llamacpp.tsv' using 2:3 with points pt 9 ps 1.5 title 'llama.cpp (GGUF run)'"
  done
  echo "unset multiplot"
} >"$OUT/pareto.gp"
gnuplot "$OUT/pareto.gp" && echo "plot: $PLOT" >&2

#!/usr/bin/env bash
# Coverage-guided fuzzing of the parsers of outside data (tests/fuzz/fuzztargets.h) with
# libFuzzer under AddressSanitizer + UndefinedBehaviorSanitizer.
#
#   scripts/fuzz.sh TARGET SECONDS [libFuzzer options...]   one target
#   scripts/fuzz.sh all SECONDS                              every target in turn
#   scripts/fuzz.sh list                                     the targets
#
# Builds ./build-asan (clang, LQER_SANITIZE=address, LQER_FUZZ=ON; the tree
# `scripts/test.sh --sanitize` uses too) when needed, writes the seed corpora from ../shared
# into build-asan/fuzz/seeds once, and keeps what each run discovers in
# build-asan/fuzz/corpus/TARGET for the next run. A crash, leak, UB report or broken loader
# promise stops the run with the input saved as build-asan/fuzz/findings/TARGET/crash-*, and the
# script fails; a fixed finding's input goes into tests/data/fuzz/TARGET/ (test_fuzz runs them).
# Prints one summary line per target: executions, edges covered, corpus size.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
dir=build-asan
# The targets are the ones tests/CMakeLists.txt builds harnesses for (LQER_FUZZ_TARGETS).
read -r -a targets <<< "$(sed -n '/^set(LQER_FUZZ_TARGETS/,/)/p' tests/CMakeLists.txt \
  | sed -e 's/set(LQER_FUZZ_TARGETS//' -e 's/)//' | tr '\n' ' ')"

if [ "${1:-}" = list ]; then printf '%s\n' "${targets[@]}"; exit 0; fi
if [ $# -lt 2 ]; then
  echo "usage: scripts/fuzz.sh TARGET|all SECONDS [libFuzzer options]  (targets: ${targets[*]})" >&2
  exit 2
fi
what=$1; seconds=$2; shift 2
if [ "$what" = all ]; then selected=("${targets[@]}")
elif printf '%s\n' "${targets[@]}" | grep -qx "$what"; then selected=("$what")
else echo "fuzz.sh: no target '$what' (targets: ${targets[*]})" >&2; exit 2
fi

bash scripts/sanitize-build.sh address --configure-only
cmake --build "$dir" -j "$(nproc 2>/dev/null || echo 2)" --target fuzz_seeds $(printf 'fuzz_%s ' "${selected[@]}")

fuzzdir=$root/$dir/fuzz
if [ ! -f "$fuzzdir/seeds/.done" ]; then
  rm -rf "$fuzzdir/seeds"
  "$dir/bin/fuzz_seeds" "$fuzzdir/seeds" > /dev/null
  touch "$fuzzdir/seeds/.done"
fi

supp=$root/tests/sanitizers
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=0:strict_string_checks=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:suppressions=$supp/ubsan.supp"
export LSAN_OPTIONS="suppressions=$supp/lsan.supp:print_suppressions=0"
export QT_QPA_PLATFORM=offscreen
status=0
for t in "${selected[@]}"; do
  mkdir -p "$fuzzdir/corpus/$t" "$fuzzdir/findings/$t"
  log=$fuzzdir/$t.log
  # Inputs of past findings (tests/data/fuzz/TARGET) are part of every run's corpus.
  regress=""
  if [ -d "$root/tests/data/fuzz/$t" ]; then regress="$root/tests/data/fuzz/$t"; fi
  # -timeout: one input may take at most 20 s (a hang is a finding); -rss_limit_mb: a loader
  # may not allocate more than 3 GB for a small file.
  if ! (cd "$fuzzdir/findings/$t" && "$root/$dir/bin/fuzz_$t" -max_total_time="$seconds" -timeout=20 \
        -rss_limit_mb=3072 -print_final_stats=1 -artifact_prefix="$fuzzdir/findings/$t/" "$@" \
        "$fuzzdir/corpus/$t" "$fuzzdir/seeds/$t" $regress) > "$log" 2>&1; then
    status=1
    echo "fuzz $t: FINDING (see $log and $fuzzdir/findings/$t)"
    grep -E "ERROR|FINDING|runtime error|SUMMARY" "$log" | head -5 || true
    continue
  fi
  execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo "?")
  rate=$(grep -o 'stat::average_exec_per_sec: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo "?")
  cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | grep -o '[0-9]*' || echo "?")
  corp=$(find "$fuzzdir/corpus/$t" -type f | wc -l)
  echo "fuzz $t: ${seconds} s, ${execs} executions (${rate}/s), ${cov} edges, corpus ${corp} inputs, 0 findings"
done
exit $status

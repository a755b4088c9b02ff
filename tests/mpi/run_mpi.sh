#!/usr/bin/env bash
# `mpirun -np 2 lqer calibrate|analyze|quantize|export` against the same commands in one process:
# the statistics file, the CSV and spectra reports, the printed tables (timings aside) and the
# exported checkpoint must be the same byte for byte. Usage: run_mpi.sh LQER MPIEXEC SHARED_DIR
set -euo pipefail
LQER="$1"
MPIEXEC="$2"
SHARED="$3"
MODEL="$SHARED/models/lqs-llama-13m"
CALIB="$SHARED/data/lqs-corpus/calib.txt"
HELDOUT="$SHARED/data/lqs-corpus/heldout.txt"
for f in "$MODEL/config.json" "$CALIB" "$HELDOUT"; do
  [ -e "$f" ] || { echo "missing $f"; exit 77; }
done

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
export HOME="$WORK" # the session store's default place
MPI=("$MPIEXEC" -np 2 --oversubscribe)
if [ "$(id -u)" -eq 0 ]; then MPI+=(--allow-run-as-root); fi
# One machine, no network fabric: shared memory between the two ranks.
export OMPI_MCA_btl=self,vader OMPI_MCA_btl_vader_single_copy_mechanism=none OMPI_MCA_pml=ob1

failures=0
same() { # same FILE_A FILE_B WHAT
  if cmp -s "$1" "$2"; then echo "ok: $3 identical"; else echo "FAIL: $3 differ"; { diff "$1" "$2" | head -20 || true; }; failures=$((failures + 1)); fi
}
timed() { # timed LABEL command...: runs it, prints the wall time
  local t0 t1
  t0=$(date +%s.%N)
  "${@:2}" 2>> "$WORK/stderr.log"
  t1=$(date +%s.%N)
  echo "time: $1 $(echo "$t1 - $t0" | bc) s" >&2
}
# The printed table without what depends on the clock (per-layer and total times).
untimed() { sed -E 's/[0-9]+\.[0-9]+s( |$)/Xs\1/g; s/[0-9.]+ s of layer work in [0-9.]+ s/X s of layer work in X s/; s/ [0-9.]+ (ms|s|min)( |$)/ X\2/g; s/\([0-9.]+ (ms|s|min)\)/(X)/g' "$1"; }

# calibrate: 4 samples over 2 ranks; one process with 1 and with 2 threads (fixed fold order).
CAL=(calibrate "$MODEL" --text "$CALIB" --samples 4 --seq-len 64)
timed "calibrate single" "$LQER" "${CAL[@]}" --threads 1 -o "$WORK/single.st" > "$WORK/cal1.out"
"$LQER" "${CAL[@]}" --threads 2 -o "$WORK/threads2.st" > /dev/null 2>&1
timed "calibrate mpirun-np2" "${MPI[@]}" "$LQER" "${CAL[@]}" --threads 1 -o "$WORK/mpi.st" > "$WORK/cal2.out"
same "$WORK/single.st" "$WORK/mpi.st" "calibrate statistics (1 process vs 2 ranks)"
same "$WORK/single.st" "$WORK/threads2.st" "calibrate statistics (1 vs 2 threads)"
[ "$(grep -c calibrated "$WORK/cal2.out")" -eq 1 ] || { echo "FAIL: mpirun calibrate printed $(grep -c calibrated "$WORK/cal2.out") summaries"; failures=$((failures + 1)); }

# analyze: L²QER on the first two blocks, CSV + spectra + table.
AN=(analyze "$MODEL" --method l2qer --rank 8 --stats "$WORK/single.st" --layers 'layers\.[01]\.' --no-record)
timed "analyze single" "$LQER" "${AN[@]}" --csv "$WORK/a1.csv" --spectra "$WORK/s1.json" > "$WORK/an1.out"
timed "analyze mpirun-np2" "${MPI[@]}" "$LQER" "${AN[@]}" --csv "$WORK/a2.csv" --spectra "$WORK/s2.json" > "$WORK/an2.out"
cut -d, -f1-10 "$WORK/a1.csv" > "$WORK/a1.cut"; cut -d, -f1-10 "$WORK/a2.csv" > "$WORK/a2.cut"
same "$WORK/a1.cut" "$WORK/a2.cut" "analyze CSV (seconds column aside)"
same "$WORK/s1.json" "$WORK/s2.json" "analyze spectra JSON"
untimed "$WORK/an1.out" > "$WORK/an1.t"; untimed "$WORK/an2.out" > "$WORK/an2.t"
same "$WORK/an1.t" "$WORK/an2.t" "analyze table"
[ "$(grep -c 'layers\.' "$WORK/an2.t")" -eq 14 ] || { echo "FAIL: analyze table has $(grep -c 'layers\.' "$WORK/an2.t") layer rows, want 14"; failures=$((failures + 1)); }

# quantize: L²QER, statistics from calibration on the fly, 2 evaluation windows, recorded.
QU=(quantize "$MODEL" --method l2qer --rank 8 --calib "$CALIB" --samples 4 --calib-seq-len 64 --eval "$HELDOUT" --windows 2 --seq-len 128)
timed "quantize single" "$LQER" "${QU[@]}" --db "$WORK/q1.db" --save-plan "$WORK/p1.json" > "$WORK/q1.out"
timed "quantize mpirun-np2" "${MPI[@]}" "$LQER" "${QU[@]}" --db "$WORK/q2.db" --save-plan "$WORK/p2.json" > "$WORK/q2.out"
untimed "$WORK/q1.out" | grep -v '^(quantize times' > "$WORK/q1.t"; untimed "$WORK/q2.out" | grep -v '^(quantize times' > "$WORK/q2.t"
same "$WORK/q1.t" "$WORK/q2.t" "quantize table (perplexities, KL, bits)"
sed "s#$WORK/q1#X#" "$WORK/p1.json" > "$WORK/p1.t"; sed "s#$WORK/q2#X#" "$WORK/p2.json" > "$WORK/p2.t"
same "$WORK/p1.t" "$WORK/p2.t" "quantize --save-plan"
"$LQER" sessions list --db "$WORK/q1.db" | sed -E 's/[0-9]{4}-[0-9-]+[ T][0-9:]+//g; s/[0-9.]+ ?(ms|s)\b//g' > "$WORK/r1.t" || true
"$LQER" sessions list --db "$WORK/q2.db" | sed -E 's/[0-9]{4}-[0-9-]+[ T][0-9:]+//g; s/[0-9.]+ ?(ms|s)\b//g' > "$WORK/r2.t" || true
[ -s "$WORK/r2.t" ] && same "$WORK/r1.t" "$WORK/r2.t" "quantize session record (one store, written by rank 0)"

# export: packed checkpoint.
EX=(export "$MODEL" --method l2qer --rank 8 --stats "$WORK/single.st" --format packed --no-record)
timed "export single" "$LQER" "${EX[@]}" -o "$WORK/e1" > /dev/null
timed "export mpirun-np2" "${MPI[@]}" "$LQER" "${EX[@]}" -o "$WORK/e2" > /dev/null
for f in $(cd "$WORK/e1" && find . -type f | sort); do same "$WORK/e1/$f" "$WORK/e2/$f" "export $f"; done
[ "$(cd "$WORK/e1" && find . -type f | sort)" = "$(cd "$WORK/e2" && find . -type f | sort)" ] || { echo "FAIL: export file lists differ"; failures=$((failures + 1)); }

# A failure on one rank ends both with the message (no hang): statistics that do not exist.
if timeout 60 "${MPI[@]}" "$LQER" analyze "$MODEL" --method l2qer --stats "$WORK/none.st" --no-record > "$WORK/err.out" 2>&1; then
  echo "FAIL: a missing statistics file succeeded"; failures=$((failures + 1))
elif grep -q "none.st" "$WORK/err.out"; then
  echo "ok: missing statistics file ends every rank with the message"
else
  echo "FAIL: no message naming the file (or a hang):"; cat "$WORK/err.out"; failures=$((failures + 1))
fi
# A command that does not share its work refuses to run under mpirun.
if timeout 60 "${MPI[@]}" "$LQER" eval "$MODEL" --text "$HELDOUT" > "$WORK/eval.out" 2>&1 || ! grep -q "does not run under MPI" "$WORK/eval.out"; then
  echo "FAIL: eval under mpirun:"; cat "$WORK/eval.out"; failures=$((failures + 1))
else
  echo "ok: eval under mpirun refused"
fi

echo "failures: $failures"
[ "$failures" -eq 0 ]

#!/usr/bin/env bash
# `mpirun -np 2 lqer calibrate|analyze|quantize|export` against the same commands in one process:
# the statistics file (also with --gram), the CSV and spectra reports, the printed tables
# (timings aside) and the exported checkpoint must be the same byte for byte; a failure on rank 1
# alone (a NaN weight, a model it cannot load or find) ends every rank with an error naming it
# and closes a recorded run as failed. Usage: run_mpi.sh LQER MPIEXEC SHARED_DIR
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

# calibrate --gram (QERA-exact): the Gram sums are folded in sample order on the root too. Two
# samples per rank make a block's partials (~31 MB) span several messages (16 MiB each).
GRAM=(calibrate "$MODEL" --text "$CALIB" --samples 4 --seq-len 64 --gram --threads 1)
timed "calibrate --gram single" "$LQER" "${GRAM[@]}" -o "$WORK/gram1.st" > /dev/null
timed "calibrate --gram mpirun-np2" "${MPI[@]}" "$LQER" "${GRAM[@]}" -o "$WORK/gram2.st" > /dev/null
same "$WORK/gram1.st" "$WORK/gram2.st" "calibrate --gram statistics (1 process vs 2 ranks)"
# QERA-exact with calibration on the fly: rank 1 quantizes its layers with the Gram matrices
# rank 0 handed out, so the table (bits, output error) is one process's.
QE=(quantize "$MODEL" --method qera-exact --rank 8 --calib "$CALIB" --samples 4 --calib-seq-len 64 --threads 1 --no-record)
timed "quantize qera-exact single" "$LQER" "${QE[@]}" > "$WORK/qe1.out"
timed "quantize qera-exact mpirun-np2" "${MPI[@]}" "$LQER" "${QE[@]}" > "$WORK/qe2.out"
untimed "$WORK/qe1.out" > "$WORK/qe1.t"; untimed "$WORK/qe2.out" > "$WORK/qe2.t"
same "$WORK/qe1.t" "$WORK/qe2.t" "quantize qera-exact table"

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

# A failure on one rank only: every rank ends (timeout: a hang fails the test), the exit code
# is not 0, the message names the rank and the thing, and a recorded run is closed as failed.
# A small f32 checkpoint and a copy with a NaN in model.layers.0.self_attn.k_proj.weight.
"$LQER" synth --shape llama-7b --layers 2 --hidden 64 --intermediate 128 --vocab 256 --heads 4 \
  --dtype f32 --threads 1 -o "$WORK/tiny" > /dev/null 2>&1
cp -r "$WORK/tiny" "$WORK/tiny-nan"
poison() { # poison FILE TENSOR: a float32 NaN over the F32 tensor's first element
  local len begin
  len=$(od -An -t u8 -N 8 "$1" | tr -d ' ')
  begin=$(head -c $((8 + len)) "$1" | tail -c "$len" | grep -o "\"$2\":{[^}]*}" | sed -E 's/.*"data_offsets":\[([0-9]+),.*/\1/')
  [ -n "$begin" ] && printf '\x00\x00\xc0\x7f' | dd of="$1" bs=1 seek=$((8 + len + begin)) conv=notrunc status=none
}
poison "$WORK/tiny-nan/model.safetensors" model.layers.0.self_attn.k_proj.weight || { echo "FAIL: cannot write the NaN"; failures=$((failures + 1)); }
# MPMD: rank 0 runs the first command, rank 1 the second (a node whose copy of the model is bad).
MPMD=("$MPIEXEC" --oversubscribe)
if [ "$(id -u)" -eq 0 ]; then MPMD+=(--allow-run-as-root); fi
fails_on_rank1() { # WHAT DB PATTERN command...: must fail within 60 s naming rank 1 and PATTERN
  local what="$1" db="$2" pattern="$3" rc=0 t0 t1
  t0=$(date +%s)
  timeout 60 "${@:4}" > "$WORK/fail.out" 2>&1 || rc=$?
  t1=$(date +%s)
  if [ "$rc" -eq 0 ] || [ "$rc" -eq 124 ]; then
    echo "FAIL: $what: exit code $rc (0: succeeded, 124: hung)"; cat "$WORK/fail.out"; failures=$((failures + 1)); return
  fi
  if ! grep -q "lqer: error: .*rank 1 of 2: .*$pattern" "$WORK/fail.out"; then
    echo "FAIL: $what: no error naming rank 1 and '$pattern':"; cat "$WORK/fail.out"; failures=$((failures + 1)); return
  fi
  if [ -n "$db" ]; then
    "$LQER" sessions show --run 1 --db "$db" > "$WORK/run.out" 2>&1 || true
    if ! grep -q "status *failed" "$WORK/run.out" || ! grep -q "error .*rank 1 of 2: .*$pattern" "$WORK/run.out"; then
      echo "FAIL: $what: the recorded run is not failed with rank 1's error:"; cat "$WORK/run.out"; failures=$((failures + 1)); return
    fi
  fi
  echo "ok: $what fails on every rank in $((t1 - t0)) s (exit $rc), naming rank 1${db:+, run recorded as failed}"
}
# The layer with the NaN is rank 1's: of two equal layers the first goes to rank 0, the second to 1.
fails_on_rank1 "analyze, NaN in rank 1's layer" "$WORK/f1.db" "k_proj.weight: weight has a NaN" \
  "${MPI[@]}" "$LQER" analyze "$WORK/tiny-nan" --method lqer --rank 4 --layers 'layers\.0\.self_attn\.[qk]_proj' --db "$WORK/f1.db"
# Before any message: rank 1 fails loading its model (NaN), rank 0 has begun its run.
QF=(quantize --method lqer --rank 4 --threads 1 --db "$WORK/f2.db")
fails_on_rank1 "quantize, rank 1 cannot load its model" "$WORK/f2.db" "tiny-nan: tensor 'model.layers.0.self_attn.k_proj.weight' contains NaN" \
  "${MPMD[@]}" -np 1 "$LQER" "${QF[@]}" "$WORK/tiny" : -np 1 "$LQER" "${QF[@]}" "$WORK/tiny-nan"
EF=(export --method lqer --rank 4 --format packed --threads 1 --db "$WORK/f3.db" -o "$WORK/f3-out")
fails_on_rank1 "export, rank 1's model missing" "$WORK/f3.db" "no-such-model: no such file" \
  "${MPMD[@]}" -np 1 "$LQER" "${EF[@]}" "$WORK/tiny" : -np 1 "$LQER" "${EF[@]}" "$WORK/no-such-model"
[ ! -e "$WORK/f3-out" ] || { echo "FAIL: the failed export left $WORK/f3-out"; failures=$((failures + 1)); }
KF=(calibrate --text "$CALIB" --samples 4 --seq-len 32 --gram --threads 1 -o "$WORK/f4.st")
fails_on_rank1 "calibrate --gram, rank 1 cannot load its model" "" "contains NaN" \
  "${MPMD[@]}" -np 1 "$LQER" "${KF[@]}" "$WORK/tiny" : -np 1 "$LQER" "${KF[@]}" "$WORK/tiny-nan"
[ ! -e "$WORK/f4.st" ] || { echo "FAIL: the failed calibration wrote $WORK/f4.st"; failures=$((failures + 1)); }

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

# srun without an MPI plugin (--mpi=none) gives each task SLURM_STEP_NUM_TASKS and no PMI: refused.
if env -u PMIX_RANK -u PMI_SIZE -u OMPI_COMM_WORLD_SIZE SLURM_STEP_NUM_TASKS=2 SLURM_PROCID=0 \
  "$LQER" inspect "$MODEL" > "$WORK/srun.out" 2>&1 || ! grep -q "srun with 2 tasks.*--mpi=pmix" "$WORK/srun.out"; then
  echo "FAIL: srun without PMI:"; cat "$WORK/srun.out"; failures=$((failures + 1))
else
  echo "ok: srun without an MPI plugin refused"
fi

echo "failures: $failures"
[ "$failures" -eq 0 ]

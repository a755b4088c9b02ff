#!/usr/bin/env bash
# Runs a command and prints its wall time and peak memory as the scale targets count it:
# RssAnon (anonymous memory: heap, fp32 copies; the page cache of mmap'd checkpoints excluded)
# sampled every 0.1 s from /proc, and the kernel's VmHWM (all resident memory, file pages too).
#   scripts/peak-memory.sh build/bin/lqer analyze /data/llama-7b-synth --rank 32
set -uo pipefail
if [ $# -eq 0 ]; then echo "usage: scripts/peak-memory.sh COMMAND [ARGS...]" >&2; exit 2; fi
start=$(date +%s.%N)
"$@" &
pid=$!
peak=0
hwm=0
while kill -0 "$pid" 2>/dev/null; do
  if [ -r "/proc/$pid/status" ]; then
    anon=$(awk '/^RssAnon:/ {print $2}' "/proc/$pid/status" 2>/dev/null)
    h=$(awk '/^VmHWM:/ {print $2}' "/proc/$pid/status" 2>/dev/null)
    [ -n "${anon:-}" ] && [ "$anon" -gt "$peak" ] && peak=$anon
    [ -n "${h:-}" ] && [ "$h" -gt "$hwm" ] && hwm=$h
  fi
  sleep 0.1
done
wait "$pid"
rc=$?
end=$(date +%s.%N)
awk -v s="$start" -v e="$end" -v p="$peak" -v h="$hwm" -v rc="$rc" 'BEGIN {
  printf "peak-memory: %.1f s, peak RssAnon %.2f GB, VmHWM %.2f GB, exit %d\n", e - s, p / 1048576, h / 1048576, rc }' >&2
exit "$rc"

# Shared by the llama.cpp checks (run_interop.sh, run_interop_archs.sh), sourced with the
# script's arguments: LQER_BINARY SHARED_DIR NODE_TOOLS_DIR [WINDOWS] (LQER, SHARED,
# LQER_NODE_TOOLS, WINDOWS; default 4). Skips (exit 77) when node or node-llama-cpp is absent;
# sets TEXT and CALIB (the corpus), WORK (a temporary folder, removed on exit; lqer's progress
# lines go to a log there, shown when a step fails), COMMON and Q4 (lqer options); defines
# within A B PERCENT (|A/B - 1| <= PERCENT/100).
LQER="$1"
SHARED="$2"
export LQER_NODE_TOOLS="$3"
WINDOWS="${4:-4}"
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
within() {
  awk -v a="$1" -v b="$2" -v p="$3" 'BEGIN { d = (a / b - 1) * 100; if (d < 0) d = -d; exit !(d <= p) }'
}

WORK="$(mktemp -d)"
exec 3>&2 2>"$WORK/stderr.log"
trap 'code=$?; if [ $code -ne 0 ]; then tail -20 "$WORK/stderr.log" >&3; fi; rm -rf "$WORK"; exit $code' EXIT
COMMON=(--no-record --threads 2)
Q4=(--weight q4_0 --act q8_0)

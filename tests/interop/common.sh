# Shared by the llama.cpp checks (run_interop.sh, run_interop_archs.sh): sourced after
# LQER_NODE_TOOLS is set. Skips (exit 77) when node or node-llama-cpp is absent; defines
# within A B PERCENT (|A/B - 1| <= PERCENT/100).
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

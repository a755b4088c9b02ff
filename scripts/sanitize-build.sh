#!/usr/bin/env bash
# Configures and builds a sanitizer tree: scripts/sanitize-build.sh address|thread [targets...]
#   address: ./build-asan, clang, AddressSanitizer + UndefinedBehaviorSanitizer + LeakSanitizer,
#            with the libFuzzer harnesses (LQER_FUZZ=ON)
#   thread:  ./build-tsan, clang, ThreadSanitizer
# Configures only (no build) when called with targets "--configure-only".
set -euo pipefail
cd "$(dirname "$0")/.."
kind=${1:-address}; shift || true
case "$kind" in
  address) dir=build-asan; extra=(-DLQER_FUZZ=ON) ;;
  thread) dir=build-tsan; extra=() ;;
  *) echo "sanitize-build.sh: address or thread, not '$kind'" >&2; exit 2 ;;
esac
if [ ! -f "$dir/CMakeCache.txt" ] || ! grep -q "^CMAKE_CXX_COMPILER:.*clang" "$dir/CMakeCache.txt"; then
  rm -rf "$dir"
  CC=clang CXX=clang++ cmake -S . -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DLQER_SANITIZE="$kind" "${extra[@]}" > /dev/null
fi
if [ "${1:-}" = --configure-only ]; then exit 0; fi
# The sanitizer trees use precompiled headers (LQER_PCH); ccache caches their users only when
# told to ignore the PCH's defines and timestamps.
export CCACHE_SLOPPINESS=pch_defines,time_macros,include_file_mtime,include_file_ctime
cmake --build "$dir" -j "$(nproc 2>/dev/null || echo 2)" "$@"

#!/usr/bin/env bash
# Installs the dependencies, builds everything and runs the whole test suite through CTest.
# Needs ../shared (models and data) beside the repository.
#
#   scripts/test.sh                      Release build in ./build, every suite
#   scripts/test.sh --sanitize [KIND]    KIND = address (default: ASan + UBSan + LeakSanitizer)
#                                        or thread (TSan); builds into ./build-asan or
#                                        ./build-tsan and runs every suite there
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=$(nproc 2>/dev/null || echo 2)
bash scripts/install-deps.sh

if [ "${1:-}" != "--sanitize" ]; then
  bash scripts/build.sh
  cd build
  ctest --output-on-failure -j "$jobs" --timeout 1200
  exit 0
fi

kind=${2:-address}
case "$kind" in
  address) dir=build-asan ;;
  thread) dir=build-tsan ;;
  *) echo "test.sh: --sanitize takes address or thread, not '$kind'" >&2; exit 2 ;;
esac
supp="$PWD/tests/sanitizers"
bash scripts/sanitize-build.sh "$kind"
# Any report fails the test that produced it (halt_on_error / exitcode); suppressions only
# for reports inside system libraries, each with its reason in the file.
export ASAN_OPTIONS="detect_leaks=1:halt_on_error=1:abort_on_error=0:strict_string_checks=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:suppressions=$supp/ubsan.supp"
export LSAN_OPTIONS="suppressions=$supp/lsan.supp:print_suppressions=0"
export TSAN_OPTIONS="halt_on_error=1:second_deadlock_stack=1:suppressions=$supp/tsan.supp"
cd "$dir"
ctest --output-on-failure -j "$jobs" --timeout 3600

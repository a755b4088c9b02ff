#!/usr/bin/env bash
# Installs the dependencies, builds everything and runs the test suites through CTest.
# Needs ../shared (models and data) beside the repository. This is the README's test command
# and what CI runs.
#
#   scripts/test.sh                      Release build in ./build and every suite; then the
#                                        sanitizer stage: ./build-asan (clang, ASan + UBSan +
#                                        LeakSanitizer, libFuzzer harnesses), the suites labelled
#                                        sanitize-ci, and every fuzz harness for 20 s on its corpus
#   scripts/test.sh --no-sanitize        the Release build and suites only
#   scripts/test.sh --sanitize [KIND]    every suite in a sanitizer tree; KIND = address
#                                        (default) or thread (TSan, ./build-tsan)
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=$(nproc 2>/dev/null || echo 2)
supp="$PWD/tests/sanitizers"
bash scripts/install-deps.sh

# Any report fails the test that produced it (halt_on_error / exitcode); suppressions only for
# reports inside system libraries, each with its reason in the file.
sanitizer_env() {
  export ASAN_OPTIONS="detect_leaks=1:halt_on_error=1:abort_on_error=0:strict_string_checks=1"
  export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:suppressions=$supp/ubsan.supp"
  export LSAN_OPTIONS="suppressions=$supp/lsan.supp:print_suppressions=0"
  export TSAN_OPTIONS="halt_on_error=1:second_deadlock_stack=1:ignore_noninstrumented_modules=1:suppressions=$supp/tsan.supp"
}

if [ "${1:-}" = "--sanitize" ]; then
  kind=${2:-address}
  case "$kind" in
    address) dir=build-asan ;;
    thread) dir=build-tsan ;;
    *) echo "test.sh: --sanitize takes address or thread, not '$kind'" >&2; exit 2 ;;
  esac
  bash scripts/sanitize-build.sh "$kind"
  sanitizer_env
  cd "$dir"
  ctest --output-on-failure -j "$jobs" --timeout 3600
  exit 0
fi

start=$(date +%s)
bash scripts/build.sh
(cd build && ctest --output-on-failure -j "$jobs" --timeout 1200)
echo "test.sh: Release build and suites passed in $(( $(date +%s) - start )) s"
if [ "${1:-}" = "--no-sanitize" ]; then exit 0; fi

start=$(date +%s)
bash scripts/sanitize-build.sh address --target sanitize_ci
sanitizer_env
(cd build-asan && ctest --output-on-failure -j "$jobs" --timeout 3600 -L sanitize-ci)
# The regression run of every libFuzzer harness: the seeds (and any corpus kept from earlier
# runs), 20 s each, fixed seed.
bash scripts/fuzz.sh all 20 -seed=1
echo "test.sh: sanitizer stage (ASan + UBSan suites, fuzz regression) passed in $(( $(date +%s) - start )) s"

#!/usr/bin/env bash
# Installs the dependencies, builds everything and runs the whole test suite through CTest.
# Needs ../shared (models and data) beside the repository.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
bash scripts/build.sh
cd build
ctest --output-on-failure -j "$(nproc 2>/dev/null || echo 2)" --timeout 1200

#!/usr/bin/env bash
# Installs the Debian packages LQER Studio needs, and llama.cpp (node-llama-cpp's prebuilt CPU
# binaries, from npm) into tools/node for the interop test. Idempotent: packages already
# present are skipped, so a second run costs a dpkg query and a file test and nothing else.
set -euo pipefail

PACKAGES=(
  build-essential cmake ninja-build ccache pkg-config git
  qt6-base-dev qt6-base-dev-tools qt6-tools-dev qt6-tools-dev-tools qt6-l10n-tools
  libqt6sql6-sqlite libqt6svg6-dev qt6-qpa-plugins
  libqcustomplot-dev libqcustomplot2.1-qt6
  libeigen3-dev libspectra-dev
  sqlite3 libsqlite3-dev
  xvfb xauth fonts-dejavu-core
  clang libclang-rt-dev
  gnuplot-nox
  libopenmpi-dev openmpi-bin
)

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#PACKAGES[@]} packages present"
else
  echo "install-deps: installing ${missing[*]}"
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# llama.cpp for tests/interop: node-llama-cpp and its linux-x64 CPU binaries only (no optional
# GPU builds, nothing downloaded or compiled at run time), into the git-ignored tools/node.
NODE_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/tools/node"
if [ -f "$NODE_DIR/node_modules/node-llama-cpp/package.json" ] \
  && [ -f "$NODE_DIR/node_modules/@node-llama-cpp/linux-x64/package.json" ]; then
  echo "install-deps: node-llama-cpp present in tools/node"
else
  if ! command -v npm >/dev/null 2>&1; then
    echo "install-deps: installing nodejs npm"
    $SUDO apt-get update -qq
    $SUDO apt-get install -y -qq --no-install-recommends nodejs npm
  fi
  echo "install-deps: installing node-llama-cpp into tools/node"
  mkdir -p "$NODE_DIR"
  NODE_LLAMA_CPP_SKIP_DOWNLOAD=true npm install --prefix "$NODE_DIR" --omit=optional --no-audit --no-fund \
    node-llama-cpp@3 @node-llama-cpp/linux-x64@3
fi

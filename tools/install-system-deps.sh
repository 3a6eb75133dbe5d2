#!/usr/bin/env bash
# Installs the system binaries the test suite starts for real (redis-server, redis-cli, redis-benchmark, chromium),
# only those that are missing, with one `apt-get update` at most. Safe to run again. Needs root or sudo on a
# Debian/Ubuntu machine; elsewhere install the same binaries with your package manager.
set -euo pipefail

packages=()
need() { command -v "$1" >/dev/null 2>&1 || packages+=("$2"); }
need redis-server redis-server
need redis-cli redis-tools
need redis-benchmark redis-tools
need chromium chromium          # the browser end-to-end test drives Debian's Chromium with playwright-core

if [ ${#packages[@]} -eq 0 ]; then
  echo "system dependencies: all present"
  exit 0
fi

mapfile -t packages < <(printf '%s\n' "${packages[@]}" | sort -u)
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
if ! command -v apt-get >/dev/null 2>&1; then
  echo "missing: ${packages[*]}; install them with your package manager (no apt-get here)" >&2
  exit 1
fi
echo "installing: ${packages[*]}"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${packages[@]}"

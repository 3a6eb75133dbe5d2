#!/usr/bin/env bash
# Installs the system binaries the test suite starts for real (redis-server, redis-cli, redis-benchmark, chromium,
# haproxy, nginx, promtool), only those that are missing, with one `apt-get update` at most. Safe to run again.
# Needs root or sudo on a Debian/Ubuntu machine; elsewhere install the same binaries with your package manager.
set -euo pipefail

packages=()
need() { command -v "$1" >/dev/null 2>&1 || packages+=("$2"); }
need redis-server redis-server
need redis-cli redis-tools
need redis-benchmark redis-tools
need chromium chromium          # the browser end-to-end test drives Debian's Chromium with playwright-core
need haproxy haproxy            # deploy/haproxy/haproxy.cfg is checked (haproxy -c) and run in front of test servers
need nginx nginx                # deploy/nginx/nginx.conf is checked with nginx -t
need promtool prometheus        # promtool checks deploy/monitoring's scrape config and alert rules

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
# The tests start their own copies on free ports: keep the packages' services (nginx on port 80, haproxy,
# prometheus) from being started by the install. invoke-rc.d asks policy-rc.d, and 101 means "do not start";
# an existing policy is left as it is, and a temporary one is removed afterwards.
policy=/usr/sbin/policy-rc.d
if [ ! -e "$policy" ]; then
  printf '#!/bin/sh\nexit 101\n' | $sudo tee "$policy" >/dev/null
  $sudo chmod 755 "$policy"
  trap '$sudo rm -f "$policy"' EXIT
fi
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${packages[@]}"

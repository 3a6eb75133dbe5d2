#!/usr/bin/env bash
# Compares gateway builds at one player count in one run: the builds take turns (ROUNDS times each), the server
# pinned to core 0 and the bots to core 1, and each turn prints CPU per delivered push (from /proc), p95/p99
# action-to-own-view, bytes per push and RSS. Only loopback; every process it starts is stopped by PID.
#
#   apps/loadtest/scripts/compare-builds.sh before=/path/to/old/main.js after=apps/gateway/dist/main.js
#   PLAYERS=2000 ROUNDS=2 HOLD_MS=12000 NODE_FLAGS=--cpu-prof apps/loadtest/scripts/compare-builds.sh ...
#
# A build is a bundled gateway (`npx nx run gateway:build` makes apps/gateway/dist/main.js); to bench an older
# commit, build it in a worktree and copy its main.js under apps/gateway/tmp/<name>/ so its packages resolve.
set -euo pipefail
cd "$(dirname "$0")/../../.."
PLAYERS=${PLAYERS:-2000}
ROUNDS=${ROUNDS:-2}
HOLD_MS=${HOLD_MS:-12000}
OUT=${OUT:-apps/loadtest/reports/compare}
[ -f apps/loadtest/dist/cli.js ] || { echo "build the load generator first: npx nx run loadtest:build" >&2; exit 2; }
[ $# -gt 0 ] || { echo "usage: $0 name=path/to/main.js [name=path/to/main.js ...]" >&2; exit 2; }
mkdir -p "$OUT"
GATEWAY=""
cleanup() { [ -n "$GATEWAY" ] && kill "$GATEWAY" 2>/dev/null || true; }
trap cleanup EXIT INT TERM
jiffies() { awk '{print $14 + $15}' "/proc/$1/stat"; }
echo "| build | round | players | server CPU | CPU per push (µs) | p95 / p99 own view (ms) | bytes per push | RSS (MB) | errors |"
echo "| --- | ---: | ---: | ---: | ---: | --- | ---: | ---: | --- |"
for round in $(seq 1 "$ROUNDS"); do
  for spec in "$@"; do
    name=${spec%%=*}
    main=${spec#*=}
    port=$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
    # shellcheck disable=SC2086
    env PORT="$port" HOST=127.0.0.1 GAMES=party-bench LOG_LEVEL=warn SERVE_PAGE=false MAX_CONNECTIONS=50000 \
      MAX_CONNECTIONS_PER_ADDRESS=0 MAX_ROOMS=100000 ROOMS_PER_SESSION=100000 EVENTS_PER_SECOND=1000 EVENT_BURST=1000 \
      taskset -c 0 node ${NODE_FLAGS:-} "$main" > "$OUT/$name-$round.log" 2>&1 &
    GATEWAY=$!
    for _ in $(seq 1 100); do curl -sf -o /dev/null "http://127.0.0.1:$port/health/live" && break; sleep 0.1; done
    taskset -c 1 node apps/loadtest/dist/cli.js --url "http://127.0.0.1:$port" --players "$PLAYERS" \
      --hold "${HOLD_MS}ms" --warmup 3000ms --json "$OUT/$name-$round.json" --quiet &
    bots=$!
    # The ramp (500 players/s) and the warm-up, then sample the server's CPU inside the measured window.
    sleep $((PLAYERS / 500 + 4))
    t0=$(jiffies "$GATEWAY")
    sleep $((HOLD_MS / 1000 - 2))
    t1=$(jiffies "$GATEWAY")
    rss=$(awk '/VmRSS/ {print $2}' "/proc/$GATEWAY/status")
    wait "$bots"
    kill "$GATEWAY"
    wait "$GATEWAY" 2>/dev/null || true
    GATEWAY=""
    node -e '
      const [file, name, round, t0, t1, seconds, rss] = process.argv.slice(1);
      const step = JSON.parse(require("fs").readFileSync(file, "utf8")).steps[0];
      const cpu = (t1 - t0) / 100 / seconds;
      const errors = Object.entries(step.errors).map(([c, n]) => `${c} ${n}`).join(", ") || "0";
      console.log(`| ${name} | ${round} | ${step.connected} | ${(cpu * 100).toFixed(0)}% | ${(cpu * 1e6 / step.pushesPerSecond).toFixed(1)} | ${step.ownView.p95.toFixed(1)} / ${step.ownView.p99.toFixed(1)} | ${(step.bytesPerSecond / step.pushesPerSecond).toFixed(0)} | ${(rss / 1024).toFixed(0)} | ${errors} |`);
    ' "$OUT/$name-$round.json" "$name" "$round" "$t0" "$t1" "$((HOLD_MS / 1000 - 2))" "$rss"
  done
done

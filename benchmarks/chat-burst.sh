#!/usr/bin/env bash
# Chat bursts: hlskit's chat against the original platform's (Socket.IO 4 on Node, io.emit to
# every socket; its server is chat-burst/socketio-server.js), server on core 0, clients on core
# 1. RECEIVERS clients (default 200) join one room; MESSAGES (200) are sent in a burst: from
# 40 senders x 5 to hlskit (its per-connection limit is 5 in 5 s), from one sender to Socket.IO
# (no limit). Each run prints deliveries/s and the p50/p99 delay; RUNS runs (default 5), each
# against a fresh Socket.IO server and the same hlskit server (warmed by a first burst that is
# not counted), then the medians and the ratio. Both clients are raw WebSockets in one Node
# process (chat-burst/burst-client.js); clientBusy is the share of the burst the client's core
# spent in it (near 1: the client, not the server, sets the pace). Needs node and npm
# (socket.io and ws come from the npm registry into a temporary folder) and the benchmarks jar:
#   ./mvnw -q package -DskipTests -pl benchmarks -am && benchmarks/chat-burst.sh
set -euo pipefail
cd "$(dirname "$0")/.."
JAR=${JAR:-benchmarks/target/benchmarks.jar}
RUNS=${RUNS:-5}
RECEIVERS=${RECEIVERS:-200}
MESSAGES=${MESSAGES:-200}
HLSKIT_SENDERS=${HLSKIT_SENDERS:-40}
for tool in node npm taskset java; do
  command -v "$tool" >/dev/null || { echo "needs $tool"; exit 1; }
done
[ -f "$JAR" ] || { echo "build $JAR first"; exit 1; }

work=$(mktemp -d /tmp/hlskit-chat-burst.XXXXXX)
cleanup() {
  [ -n "${hlskit_pid:-}" ] && kill "$hlskit_pid" 2>/dev/null || true
  [ -n "${sio_pid:-}" ] && kill "$sio_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

cp benchmarks/chat-burst/*.js "$work/"
(cd "$work" && npm install --silent --no-audit --no-fund socket.io@4 ws@8 \
  >/dev/null)
echo "socket.io $(node -p "require('$work/node_modules/socket.io/package.json').version"), node $(node --version)"

# a published channel for hlskit's chat room
mkdir -p "$work/streams/canal1"
printf '#EXTM3U\n#EXT-X-TARGETDURATION:6\n#EXTINF:6.0,\nseg_00000.ts\n#EXT-X-ENDLIST\n' \
  > "$work/streams/canal1/playlist.m3u8"
cat > "$work/streams/canal1/channel.json" <<JSON
{"id":"canal1","title":"Chat","durationSeconds":6,"renditions":[],
 "playlist":"playlist.m3u8","created":"2026-11-25T00:00:00Z"}
JSON

await_port() {
  for _ in $(seq 1 100); do
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return
    sleep 0.2
  done
  echo "nothing listens on port $1"; exit 1
}

taskset -c 0 java -cp "$JAR" io.hlskit.benchmarks.ServeFolder "$work/streams" 18301 \
  > "$work/hlskit.log" 2>&1 &
hlskit_pid=$!
await_port 18301

burst() { # kind port senders
  (cd "$work" && taskset -c 1 node burst-client.js "$1" "$2" "$RECEIVERS" "$3" "$MESSAGES")
}
burst hlskit 18301 "$HLSKIT_SENDERS" > /dev/null # warm-up, not counted
sleep 6 # the senders' rate windows empty

: > "$work/results"
for run in $(seq 1 "$RUNS"); do
  (cd "$work" && exec taskset -c 0 node socketio-server.js 18302 > "$work/sio.log" 2>&1) &
  sio_pid=$!
  await_port 18302
  sio=$(burst socketio 18302 1)
  kill "$sio_pid" 2>/dev/null; wait "$sio_pid" 2>/dev/null || true
  sio_pid=""
  hl=$(burst hlskit 18301 "$HLSKIT_SENDERS")
  echo "run $run: $sio"
  echo "run $run: $hl"
  echo "$sio" >> "$work/results"
  echo "$hl" >> "$work/results"
  sleep 6
done

node -e '
const lines = require("fs").readFileSync(process.argv[1], "utf8").trim().split("\n").map(JSON.parse);
const median = (a) => { const s = [...a].sort((x, y) => x - y); return s[Math.floor(s.length / 2)]; };
const of = (k) => lines.filter((l) => l.kind === k);
const m = {};
for (const k of ["socketio", "hlskit"]) {
  const r = of(k);
  m[k] = { d: median(r.map((l) => l.deliveriesPerSecond)), p50: median(r.map((l) => l.p50)),
    p99: median(r.map((l) => l.p99)), busy: median(r.map((l) => l.clientBusy)), lost: r.reduce((n, l) => n + l.expected - Math.min(l.delivered, l.expected), 0) };
  console.log(`${k.padEnd(8)} median of ${r.length}: ${m[k].d} deliveries/s, p50 ${m[k].p50.toFixed(1)} ms, p99 ${m[k].p99.toFixed(1)} ms, client busy ${m[k].busy}, ${m[k].lost} not delivered`);
}
console.log(`hlskit/socket.io: deliveries ${(m.hlskit.d / m.socketio.d).toFixed(2)}x, p99 ${(m.hlskit.p99 / m.socketio.p99).toFixed(2)}x`);
' "$work/results"

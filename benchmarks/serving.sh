#!/usr/bin/env bash
# Serving throughput: hlskit's server against nginx (sendfile) and against the Node.js platform's
# own server (Express static with its HLS headers) on the same folder, one server core against
# one wrk core on loopback. Needs Debian's nginx and wrk, the benchmarks jar, and for Express node
# and npm (express and cors come from the npm registry into a temporary folder):
#   ./mvnw -q package -DskipTests -pl benchmarks -am && benchmarks/serving.sh
# Prints requests/s, latency percentiles, the server's CPU time per request and per GB sent, and
# each core's user/system/softirq split (core 0 the server's, core 1 the client's) for random 2 MB
# segments at 16 and 128 connections and for a 6 KB playlist, each for DURATION seconds (default
# 15) after WARMUP seconds (default 30) of load on each server, and the ratios. BASELINE_JAR=/path/to/an/older/benchmarks.jar adds
# that build's server ("baseline", port 18084) to the same run, measured in turn with the others:
# how a change moved hlskit, against the same nginx. BASELINE_JWT_SECRET=... starts the baseline
# with JWT access checks, BASELINE_METRICS=1 with a metrics registry, BASELINE_CORK=0 without
# TCP_CORK (give BASELINE_JAR the same jar to measure what they cost or gain). EXPRESS=0 leaves Express out. ROUNDS=n measures n times in
# turn and gives medians; RESTART=1 starts the JVMs afresh for each round; WHAT=playlist (or
# segments) measures only that. TLS=1 serves HTTPS from nginx (ssl, http2) and hlskit on one
# self-signed certificate (openssl) and loads them with wrk over TLS (HTTP/1.1) or, with
# LOADER=h2load (Debian's nghttp2-client), over HTTP/2; Express is then left out.
set -euo pipefail
cd "$(dirname "$0")/.."
TLS=${TLS:-0}
LOADER=${LOADER:-wrk}
scheme=http
[ "$TLS" = 1 ] && scheme=https && EXPRESS=0
JAR=${JAR:-benchmarks/target/benchmarks.jar}
DURATION=${DURATION:-15}
WARMUP=${WARMUP:-30}
SEGMENTS=${SEGMENTS:-64}
# each segment's size: 2 MB by default (6 s at 2.8 Mbit/s); SEGMENT_BYTES=204800 for 200 KB
SEGMENT_BYTES=${SEGMENT_BYTES:-2097152}
work=$(mktemp -d /tmp/hlskit-serving.XXXXXX)
chmod 755 "$work" # nginx workers run as an unprivileged user
cleanup() {
  [ -n "${hlskit_pid:-}" ] && kill "$hlskit_pid" 2>/dev/null || true
  [ -n "${baseline_pid:-}" ] && kill "$baseline_pid" 2>/dev/null || true
  [ -n "${express_pid:-}" ] && kill "$express_pid" 2>/dev/null || true
  [ -f "$work/nginx.pid" ] && kill "$(cat "$work/nginx.pid")" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

for tool in nginx wrk taskset; do
  command -v "$tool" >/dev/null || { echo "needs $tool (apt-get install nginx wrk)"; exit 1; }
done
[ -f "$JAR" ] || { echo "build $JAR first"; exit 1; }

# a channel: SEGMENTS random segments of SEGMENT_BYTES, a 6 KB playlist, channel.json
streams="$work/streams"
mkdir -p "$streams/canal1"
{
  echo "#EXTM3U"; echo "#EXT-X-VERSION:3"; echo "#EXT-X-TARGETDURATION:6"
  echo "#EXT-X-PLAYLIST-TYPE:VOD"
  for i in $(seq 0 $((SEGMENTS - 1))); do
    printf '#EXTINF:6.000,\nseg_%05d.ts\n' "$i"
  done
  # pad to about 6 KB, as a 10-minute rendition's playlist is
  for i in $(seq 1 40); do echo "#EXT-X-HLSKIT-PAD:$(printf '%080d' 0)"; done
  echo "#EXT-X-ENDLIST"
} > "$streams/canal1/playlist.m3u8"
for i in $(seq 0 $((SEGMENTS - 1))); do
  head -c "$SEGMENT_BYTES" /dev/urandom > "$streams/canal1/$(printf 'seg_%05d.ts' "$i")"
done
cat > "$streams/canal1/channel.json" <<JSON
{"id":"canal1","title":"Bench","durationSeconds":$((SEGMENTS * 6)),"renditions":[],
 "playlist":"playlist.m3u8","created":"2026-11-25T00:00:00Z"}
JSON

# with TLS=1, one certificate for every server: EC P-256, as most sites now serve
listen_options=""
tls_conf=""
if [ "$TLS" = 1 ]; then
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 \
    -keyout "$work/key.pem" -out "$work/cert.pem" -subj /CN=localhost \
    -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" 2>/dev/null
  chmod 644 "$work/key.pem"
  listen_options="ssl http2"
  tls_conf="ssl_certificate $work/cert.pem; ssl_certificate_key $work/key.pem; ssl_protocols TLSv1.2 TLSv1.3;"
fi

# nginx on port 18081, one worker on core 0
cat > "$work/nginx.conf" <<NGINX
worker_processes 1;
worker_cpu_affinity 01;
pid $work/nginx.pid;
error_log $work/nginx-error.log;
events { worker_connections 1024; }
http {
  access_log off;
  # wrk and h2load hold their connections for the whole run; nginx's default of 1,000 requests
  # a connection would close them (h2load does not reconnect after a GOAWAY)
  keepalive_requests 1000000;
  sendfile on;
  tcp_nopush on;
  types { application/vnd.apple.mpegurl m3u8; video/mp2t ts; }
  server {
    listen 127.0.0.1:18081 $listen_options;
    $tls_conf
    location /streams/ { alias $streams/; }
  }
}
NGINX
nginx -c "$work/nginx.conf"

# waits until the server on port $1 answers the playlist
await_server() {
  for _ in $(seq 1 100); do
    curl -kfsS -o /dev/null "$scheme://127.0.0.1:$1/streams/canal1/playlist.m3u8" 2>/dev/null && return
    sleep 0.2
  done
  curl -kfsS -o /dev/null "$scheme://127.0.0.1:$1/streams/canal1/playlist.m3u8"
}

# hlskit on port 18082, its JVM on core 0 too; the flag lets it cork segments (TCP_CORK) as
# the demo's jar does
JAVA_FLAGS="--add-exports java.base/sun.nio.ch=ALL-UNNAMED"
tls_env() {
  if [ "$TLS" = 1 ]; then echo "HLS_TLS_CERT=$work/cert.pem HLS_TLS_KEY=$work/key.pem"; fi
}
start_hlskit() {
  env $(tls_env) taskset -c 0 java $JAVA_FLAGS -cp "$JAR" io.hlskit.benchmarks.ServeFolder "$streams" 18082 \
    > "$work/hlskit.log" 2>&1 &
  hlskit_pid=$!
  await_server 18082
}
# an older build of hlskit, when given, on port 18084 and core 0 as well
start_baseline() {
  HLS_JWT_SECRET="${BASELINE_JWT_SECRET:-}" HLS_METRICS="${BASELINE_METRICS:-}" \
    HLS_TCP_CORK="${BASELINE_CORK:-}" HLS_TLS_PROVIDER="${BASELINE_TLS_PROVIDER:-}" env $(tls_env) taskset -c 0 java $JAVA_FLAGS -cp "$BASELINE_JAR" \
    io.hlskit.benchmarks.ServeFolder "$streams" 18084 \
    > "$work/baseline.log" 2>&1 &
  baseline_pid=$!
  await_server 18084
}
start_hlskit
await_server 18081
servers="nginx hlskit"
if [ -n "${BASELINE_JAR:-}" ]; then
  start_baseline
  servers="$servers baseline"
fi

# the Node.js platform's server.js, as its report shows it: Express 4 static with CORS and its HLS headers,
# on port 18083 and core 0 (Node serves from one thread, as the others do here)
if [ "${EXPRESS:-1}" = 1 ] && command -v node >/dev/null && command -v npm >/dev/null; then
  mkdir -p "$work/express"
  (cd "$work/express" && npm install --silent --no-audit --no-fund express@4 cors@2 >/dev/null)
  cat > "$work/express/server.js" <<JS
const express = require('express');
const cors = require('cors');
const app = express();
app.use(cors());
app.use('/streams', express.static('$streams', {
  setHeaders: (res, filePath) => {
    if (filePath.endsWith('.m3u8')) {
      res.setHeader('Content-Type', 'application/vnd.apple.mpegurl');
      res.setHeader('Cache-Control', 'no-cache');
    } else if (filePath.endsWith('.ts')) {
      res.setHeader('Content-Type', 'video/mp2t');
    }
  }
}));
app.listen(18083, '127.0.0.1');
JS
  (cd "$work/express" && NODE_ENV=production exec taskset -c 0 node server.js > "$work/express.log" 2>&1) &
  express_pid=$!
  await_server 18083
  servers="$servers express"
  echo "express $(node -p "require('$work/express/node_modules/express/package.json').version") on node $(node --version)"
else
  echo "no node/npm (or EXPRESS=0): the Express comparison is skipped"
fi

cat > "$work/random.lua" <<LUA
math.randomseed(os.time())
request = function()
  return wrk.format("GET", string.format("/streams/canal1/seg_%05d.ts", math.random(0, $((SEGMENTS - 1)))))
end
LUA

# the segments' paths, for h2load (which takes them in turn)
for i in $(seq 0 $((SEGMENTS - 1))); do printf '/streams/canal1/seg_%05d.ts\n' "$i"; done \
  > "$work/segments.txt"

pid_of() {
  case "$1" in
    nginx) pgrep -P "$(cat "$work/nginx.pid")" | head -1;;
    hlskit) echo "$hlskit_pid";; express) echo "$express_pid";; baseline) echo "$baseline_pid";;
  esac
}

# CPU time (user + system, in clock ticks) the server's process has used so far
cpu_ticks() {
  awk '{print $14 + $15}' "/proc/$(pid_of "$1")/stat"
}

# user, system and softirq ticks of cores 0 and 1 (from /proc/stat), on one line
core_ticks() {
  awk '$1 == "cpu0" || $1 == "cpu1" {printf "%s %s %s %s ", $2 + $3, $4, $7 + $8, $2 + $3 + $4 + $5 + $6 + $7 + $8 + $9}' /proc/stat
}

# each core's user / system / softirq share between two core_ticks readings, as percentages
core_split() {
  awk -v a="$1" -v b="$2" 'BEGIN {
    split(a, x, " "); split(b, y, " ")
    for (c = 0; c < 2; c++) {
      o = c * 4; t = y[o + 4] - x[o + 4]; if (t <= 0) t = 1
      printf "core%d %2.0f/%2.0f/%2.0f ", c, 100 * (y[o + 1] - x[o + 1]) / t,
        100 * (y[o + 2] - x[o + 2]) / t, 100 * (y[o + 3] - x[o + 3]) / t
    }
  }'
}

run() { # name port connections script|path
  local out before cores_before bytes
  before=$(cpu_ticks "$1")
  cores_before=$(core_ticks)
  local rps p50 p99 errors requests cpu
  if [ "$LOADER" = h2load ]; then
    if [[ "$4" == *.lua ]]; then
      sed "s|^|$scheme://127.0.0.1:$2|" "$work/segments.txt" > "$work/urls.txt"
    else
      echo "$scheme://127.0.0.1:$2$4" > "$work/urls.txt"
    fi
    out=$(taskset -c 1 h2load -t1 -c"$3" -m1 -D"$DURATION" -i "$work/urls.txt" 2>&1)
    rps=$(awk '/^finished in/ {gsub(",", "", $4); print $4}' <<<"$out")
    requests=$(awk '/^requests:/ {print $8}' <<<"$out")
    # h2load gives no percentiles: the p50 and p99 columns show the mean and the largest time
    # for a request
    p50=$(awk '/^time for request:/ {print $6}' <<<"$out")
    p99=$(awk '/^time for request:/ {print $5}' <<<"$out")
    errors=$(awk '/^requests:/ && ($10 > 0 || $12 > 0) {print "failed " $10 ", errored " $12}' <<<"$out")
    bytes=$(awk '/^traffic:/ {gsub("[()]", "", $3); print $3}' <<<"$out")
  else
    if [[ "$4" == *.lua ]]; then
      out=$(taskset -c 1 wrk -t1 -c"$3" -d"${DURATION}s" --latency -s "$4" "$scheme://127.0.0.1:$2")
    else
      out=$(taskset -c 1 wrk -t1 -c"$3" -d"${DURATION}s" --latency "$scheme://127.0.0.1:$2$4")
    fi
    rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
    requests=$(awk '/requests in/ {print $1}' <<<"$out")
    p50=$(awk '$1=="50%" {print $2}' <<<"$out")
    p99=$(awk '$1=="99%" {print $2}' <<<"$out")
    errors=$(grep -E "Non-2xx|Socket errors" <<<"$out" || true)
    # "N requests in 10.00s, 24.77GB read"
    bytes=$(awk '/requests in/ {v = $5; u = v; gsub("[0-9.]", "", u); gsub("[A-Za-z]", "", v);
      m = (u == "KB") ? 1024 : (u == "MB") ? 1048576 : (u == "GB") ? 1073741824 : 1;
      printf "%.0f", v * m}' <<<"$out")
  fi
  local split
  split=$(core_split "$cores_before" "$(core_ticks)")
  # CPU per request counts only the time the server ran: it does not move when the noisy
  # machine takes the core away for a while, as requests/s does
  cpu=$(awk -v t="$(( $(cpu_ticks "$1") - before ))" -v n="$requests" -v hz="$(getconf CLK_TCK)" \
    'BEGIN {printf "%.1f", t / hz * 1e6 / n}')
  # the server's CPU seconds per GB sent, and each core's user/sys/softirq split during the run
  local per_gb
  per_gb=$(awk -v t="$(( $(cpu_ticks "$1") - before ))" -v b="${bytes:-0}" -v hz="$(getconf CLK_TCK)" \
    'BEGIN {printf "%.2f", (b > 0 ? t / hz / (b / 1073741824) : 0)}')
  printf '%-8s %-22s c=%-4s %10s req/s  p50 %-9s p99 %-9s cpu %6s us/req %5s s/GB  %s%s\n' "$1" "$5" "$3" "$rps" "$p50" "$p99" "$cpu" "$per_gb" "$split" "$errors"
  echo "$rps $cpu" >> "$work/$1-$5-$3"
}

port() {
  case "$1" in nginx) echo 18081;; hlskit) echo 18082;; express) echo 18083;; baseline) echo 18084;; esac
}

# WHAT=segments or WHAT=playlist measures only that (default: both)
WHAT=${WHAT:-segments playlist}

# warm every server (page cache; the JIT of the JVM and of Node): C2 needs about half a minute
# of load on one core to settle, and a compiler still at work steals the shared core 0 from
# whichever server is being measured, so every server gets the same WARMUP seconds
warm() {
  for server in "$@"; do
    local playlist_seconds=$WARMUP
    if [[ "$WHAT" == *segments* ]]; then
      taskset -c 1 wrk -t1 -c16 -d"${WARMUP}s" -s "$work/random.lua" "$scheme://127.0.0.1:$(port "$server")" >/dev/null
      playlist_seconds=$((WARMUP / 3))
    fi
    taskset -c 1 wrk -t1 -c16 -d"${playlist_seconds}s" "$scheme://127.0.0.1:$(port "$server")/streams/canal1/playlist.m3u8" >/dev/null
  done
}
warm $servers

# ROUNDS (default 1) measures every server in turn that many times: quote the medians, and the
# median of the per-round ratios, which a slow minute of the machine moves less than one run.
# RESTART=1 starts the JVMs (hlskit and the baseline) afresh before each round after the first:
# two starts of one jar can differ by several percent (code layout, JIT decisions), so the
# median over rounds then compares builds, not two particular JVMs.
for round in $(seq 1 "${ROUNDS:-1}"); do
  [ "${ROUNDS:-1}" -gt 1 ] && echo "round $round"
  if [ "${RESTART:-0}" = 1 ] && [ "$round" -gt 1 ]; then
    kill "$hlskit_pid"; wait "$hlskit_pid" 2>/dev/null || true
    start_hlskit
    jvms=hlskit
    if [ -n "${BASELINE_JAR:-}" ]; then
      kill "$baseline_pid"; wait "$baseline_pid" 2>/dev/null || true
      start_baseline
      jvms="$jvms baseline"
    fi
    warm $jvms
  fi
  for what in $WHAT; do
    for c in 16 128; do
      for server in $servers; do
        if [ "$what" = segments ]; then
          run "$server" "$(port "$server")" "$c" "$work/random.lua" segments
        else
          run "$server" "$(port "$server")" "$c" /streams/canal1/playlist.m3u8 playlist
        fi
      done
    done
  done
done
# hlskit over each other server: requests/s (above 1, hlskit serves more) and the other's CPU
# per request over hlskit's (above 1, hlskit spends less); medians over the rounds
median() { sort -g | awk '{ a[NR] = $1 } END { print (NR % 2 ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2) }'; }
for other in $servers; do
  [ "$other" = hlskit ] && continue
  for what in $WHAT; do
    for c in 16 128; do
      h="$work/hlskit-$what-$c"
      o="$work/$other-$what-$c"
      rounds=$(paste -d' ' "$h" "$o" | awk '{printf "%s%.2f", (NR > 1 ? " " : ""), $1 / $3}')
      rps=$(paste -d' ' "$h" "$o" | awk '{print $1 / $3}' | median)
      cpu=$(paste -d' ' "$h" "$o" | awk '{print $4 / $2}' | median)
      printf 'ratio hlskit/%-8s %-9s c=%-4s %.2f   cpu/req %s/hlskit %.2f' "$other" "$what" "$c" \
        "$rps" "$other" "$cpu"
      [ "${ROUNDS:-1}" -gt 1 ] && printf '   (rounds: %s)' "$rounds"
      echo
    done
  done
done

#!/usr/bin/env bash
# What a server option costs, with the machine's noise cancelled: two hlskit servers (ServeFolder)
# from one jar, one started with the option's environment (B_ENV) and one without (A_ENV), both
# on core 0 and loaded at the same time by two wrk on core 1, so that a slow minute of the box
# slows both alike. Each pair of JVMs warms up for WARM seconds (default 60: C2 must be done),
# then is measured ROUNDS times (default 3) for DURATION seconds (default 10); PAIRS pairs of
# JVMs (default 4) are started, the option on A in odd pairs and on B in even ones, since two JVMs
# of the same code can differ by several percent. Prints, per pair, the server CPU time per
# request with the option over without (from /proc/<pid>/stat), and requests with over without.
#   ./mvnw -q package -DskipTests -pl benchmarks -am
#   OPTION_ENV=HLS_METRICS=1 benchmarks/side-by-side.sh
# PATH_TO (default the 6 KB playlist) picks what is fetched; C the connections (default 16).
#
# SAME_JVM=1 measures the metrics registry with both servers in ONE JVM (ServeFolder's
# HLS_METRICS_TWIN_PORT): they run the same compiled code, so the JIT's choices, which differ
# from JVM to JVM by as much as the cost measured, cancel out; each server's CPU time is that of
# its own threads (XNIO-n, plus hlskit-metrics for the one with the registry), read from
# /proc/<pid>/task/*/schedstat. The twin that records is started second in odd pairs, first in
# even ones; each round also says what share of the twin's CPU its metrics thread took (the drain
# into the registry). CONTROL=1 makes the twin record nothing: the ratios two equal servers give are the
# floor below which a cost cannot be told from noise.
#   SAME_JVM=1 benchmarks/side-by-side.sh
set -euo pipefail
cd "$(dirname "$0")/.."
JAR=${JAR:-benchmarks/target/benchmarks.jar}
SAME_JVM=${SAME_JVM:-0}
if [ "$SAME_JVM" = 1 ]; then OPTION_ENV=HLS_METRICS=1; fi
OPTION_ENV=${OPTION_ENV:?give the option as OPTION_ENV=NAME=value, e.g. HLS_METRICS=1}
PAIRS=${PAIRS:-4}
ROUNDS=${ROUNDS:-3}
WARM=${WARM:-60}
DURATION=${DURATION:-10}
C=${C:-16}
PATH_TO=${PATH_TO:-/streams/canal1/playlist.m3u8}
for tool in wrk taskset curl; do
  command -v "$tool" >/dev/null || { echo "needs $tool (apt-get install wrk)"; exit 1; }
done
[ -f "$JAR" ] || { echo "build $JAR first"; exit 1; }
work=$(mktemp -d /tmp/hlskit-side.XXXXXX)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

# the channel serving.sh serves: a 6 KB playlist and 2 MB segments
mkdir -p "$work/streams/canal1"
{
  echo "#EXTM3U"; echo "#EXT-X-VERSION:3"; echo "#EXT-X-TARGETDURATION:6"
  echo "#EXT-X-PLAYLIST-TYPE:VOD"
  for i in $(seq 0 63); do printf '#EXTINF:6.000,\nseg_%05d.ts\n' "$i"; done
  for i in $(seq 1 40); do echo "#EXT-X-HLSKIT-PAD:$(printf '%080d' 0)"; done
  echo "#EXT-X-ENDLIST"
} > "$work/streams/canal1/playlist.m3u8"
for i in $(seq 0 63); do
  head -c 2097152 /dev/urandom > "$work/streams/canal1/$(printf 'seg_%05d.ts' "$i")"
done
echo '{"id":"canal1","title":"Bench","durationSeconds":384,"renditions":[],"playlist":"playlist.m3u8","created":"2026-11-25T00:00:00Z"}' \
  > "$work/streams/canal1/channel.json"

ready() { # port
  for _ in $(seq 1 100); do
    curl -fsS -o /dev/null "http://127.0.0.1:$1$PATH_TO" 2>/dev/null && return
    sleep 0.2
  done
}
serve() { # port env...
  local port=$1; shift
  env "$@" taskset -c 0 java -cp "$JAR" io.hlskit.benchmarks.ServeFolder "$work/streams" \
    "$port" > "$work/server-$port.log" 2>&1 &
  pids+=($!)
  ready "$port"
}
ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
# CPU time (ns, from schedstat: exact, where ticks are sampled every 10 ms) of the threads of
# JVM $1 whose names start with one of the other arguments
thread_cpu() {
  local pid=$1; shift
  local t comm p sum=0
  for t in /proc/"$pid"/task/*; do
    comm=$(cat "$t/comm" 2>/dev/null) || continue
    for p in "$@"; do
      if [[ $comm == "$p"* ]]; then
        sum=$((sum + $(awk '{print $1}' "$t/schedstat" 2>/dev/null || echo 0)))
      fi
    done
  done
  echo "$sum"
}
load() { # seconds; wrk on both servers at once
  taskset -c 1 wrk -t1 -c"$C" -d"$1s" "http://127.0.0.1:18091$PATH_TO" > "$work/a.out" &
  local w=$!
  taskset -c 1 wrk -t1 -c"$C" -d"$1s" "http://127.0.0.1:18092$PATH_TO" > "$work/b.out"
  wait "$w"
}
requests() { awk '/requests in/ {print $1}' "$1"; }

for pair in $(seq 1 "$PAIRS"); do
  pids=()
  if [ "$SAME_JVM" = 1 ]; then
    # 18092 is the twin with the registry: XNIO-2 when started second, XNIO-1 when first
    with=b
    if [ $((pair % 2)) = 1 ]; then first=HLSKIT_PLAIN=1; a_threads="XNIO-1 "
      b_threads="XNIO-2 "
    else first=HLS_METRICS_TWIN_FIRST=1; a_threads="XNIO-2 "; b_threads="XNIO-1 "; fi
    serve 18091 HLS_METRICS_TWIN_PORT=18092 "$first" HLS_METRICS_TWIN_PLAIN="${CONTROL:-0}"
    ready 18092
    a_ticks() { thread_cpu "${pids[0]}" "$a_threads"; }
    b_ticks() { thread_cpu "${pids[0]}" "$b_threads" hlskit-metrics; }
    m_ticks() { thread_cpu "${pids[0]}" hlskit-metrics; }
  else
    if [ $((pair % 2)) = 1 ]; then a_env=$OPTION_ENV; b_env=HLSKIT_PLAIN=1; with=a
    else a_env=HLSKIT_PLAIN=1; b_env=$OPTION_ENV; with=b; fi
    serve 18091 "$a_env"
    serve 18092 "$b_env"
    a_ticks() { ticks "${pids[0]}"; }
    b_ticks() { ticks "${pids[1]}"; }
    m_ticks() { echo 0; }
  fi
  load "$WARM"
  line="pair $pair (option on $with):"
  for _ in $(seq 1 "$ROUNDS"); do
    a0=$(a_ticks); b0=$(b_ticks); m0=$(m_ticks)
    load "$DURATION"
    a1=$(a_ticks); b1=$(b_ticks); m1=$(m_ticks)
    line="$line $(awk -v na="$(requests "$work/a.out")" -v nb="$(requests "$work/b.out")" \
      -v ta=$((a1 - a0)) -v tb=$((b1 - b0)) -v tm=$((m1 - m0)) -v with=$with 'BEGIN {
        cpu = (tb / nb) / (ta / na); req = nb / na
        if (with == "a") { cpu = 1 / cpu; req = 1 / req }
        printf "cpu/req %.3f req %.3f", cpu, req
        if (tm > 0) printf " (metrics thread %.1f%%)", 100 * tm / tb
        printf ";" }')"
  done
  echo "$line"
  kill "${pids[@]}" 2>/dev/null || true
  wait "${pids[@]}" 2>/dev/null || true
done

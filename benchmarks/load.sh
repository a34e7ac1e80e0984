#!/usr/bin/env bash
# The load test (issue 8): one hlskit server in its own JVM under 256 HTTP connections on
# segments and playlists (wrk, 90 % random 2 MB segments, 10 % playlists) and, at the same time,
# 500 chat clients in 50 rooms each sending at its rate limit, for DURATION seconds (default 60).
# Samples the server's resident memory and open files every second; passes when there were no
# errors and no answer but 2xx, when resident memory did not grow between the second and the
# last third of the run, and when the open files are back to their level before the load.
#   ./mvnw -q package -DskipTests -pl benchmarks -am && benchmarks/load.sh
# Needs Debian's wrk. Loopback only.
set -euo pipefail
cd "$(dirname "$0")/.."
JAR=benchmarks/target/benchmarks.jar
DURATION=${DURATION:-60}
CONNECTIONS=${CONNECTIONS:-256}
CHAT_CLIENTS=${CHAT_CLIENTS:-500}
ROOMS=${ROOMS:-50}
PORT=18084
work=$(mktemp -d /tmp/hlskit-load.XXXXXX)
cleanup() {
  [ -n "${sampler_pid:-}" ] && kill "$sampler_pid" 2>/dev/null || true
  [ -n "${server_pid:-}" ] && kill "$server_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
command -v wrk >/dev/null || { echo "needs wrk (apt-get install wrk)"; exit 1; }
[ -f "$JAR" ] || { echo "build $JAR first"; exit 1; }

# canal1 with 32 random 2 MB segments; canal2..canalN, playlists only, for the chat rooms
streams="$work/streams"
for r in $(seq 1 "$ROOMS"); do
  mkdir -p "$streams/canal$r"
  printf '#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:6\n#EXT-X-PLAYLIST-TYPE:VOD\n' \
    > "$streams/canal$r/playlist.m3u8"
  for i in $(seq 0 31); do printf '#EXTINF:6.000,\nseg_%05d.ts\n' "$i"; done \
    >> "$streams/canal$r/playlist.m3u8"
  echo "#EXT-X-ENDLIST" >> "$streams/canal$r/playlist.m3u8"
  printf '{"id":"canal%s","title":"Load %s","durationSeconds":192,"renditions":[],"playlist":"playlist.m3u8","created":"2026-11-25T00:00:00Z"}' \
    "$r" "$r" > "$streams/canal$r/channel.json"
done
for i in $(seq 0 31); do
  head -c 2097152 /dev/urandom > "$streams/canal1/$(printf 'seg_%05d.ts' "$i")"
done

java -cp "$JAR" io.hlskit.benchmarks.ServeFolder "$streams" "$PORT" > "$work/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 100); do
  curl -fsS -o /dev/null "http://127.0.0.1:$PORT/streams/canal$ROOMS/playlist.m3u8" 2>/dev/null && break
  sleep 0.2
done
# warm the JIT, then take the baseline of open files
wrk -t2 -c16 -d20s "http://127.0.0.1:$PORT/streams/canal1/playlist.m3u8" >/dev/null
sleep 2
fds_before=$(ls "/proc/$server_pid/fd" | wc -l)

( while kill -0 "$server_pid" 2>/dev/null; do
    echo "$(date +%s) $(awk '/VmRSS/ {print $2}' "/proc/$server_pid/status") $(ls "/proc/$server_pid/fd" | wc -l)"
    sleep 1
  done ) > "$work/samples" &
sampler_pid=$!

cat > "$work/mix.lua" <<LUA
math.randomseed(os.time())
request = function()
  if math.random(1, 10) == 1 then
    return wrk.format("GET", "/streams/canal" .. math.random(1, $ROOMS) .. "/playlist.m3u8")
  end
  return wrk.format("GET", string.format("/streams/canal1/seg_%05d.ts", math.random(0, 31)))
end
LUA
start=$(date +%s)
java -cp "$JAR" io.hlskit.benchmarks.ChatLoad --port "$PORT" --clients "$CHAT_CLIENTS" \
  --rooms "$ROOMS" --seconds "$DURATION" > "$work/chat.out" 2>&1 &
chat_pid=$!
sleep 3 # the chat clients join first
wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --timeout 10s --latency -s "$work/mix.lua" \
  "http://127.0.0.1:$PORT" > "$work/wrk.out"
chat_status=0
wait "$chat_pid" || chat_status=$?
end=$(date +%s)
sleep 10 # connections wind down
fds_after=$(ls "/proc/$server_pid/fd" | wc -l)
kill "$sampler_pid" 2>/dev/null || true

echo "== HTTP: $CONNECTIONS connections for $DURATION s (90 % 2 MB segments, 10 % playlists)"
grep -E "Requests/sec|Transfer/sec|Non-2xx|Socket errors|requests in" "$work/wrk.out" || true
awk '$1=="50%" || $1=="90%" || $1=="99%" {print "latency " $1 " " $2}' "$work/wrk.out"
echo "== chat"
cat "$work/chat.out"
echo "== server"
# resident memory: mean of the second third against the mean of the last third of the run
awk -v s="$start" -v e="$end" '
  $1 >= s && $1 <= e { t = ($1 - s) / (e - s); if (t >= 1/3 && t < 2/3) { a += $2; na++ } else if (t >= 2/3) { b += $2; nb++ } }
  END { ma = a / na / 1024; mb = b / nb / 1024; printf "resident memory: %.0f MB in the second third, %.0f MB in the last (%+.1f%%)\n", ma, mb, 100 * (mb - ma) / ma }' \
  "$work/samples"
awk 'BEGIN {m = 0} {if ($3 > m) m = $3} END {print "open files at the peak: " m}' "$work/samples"
echo "open files before the load: $fds_before, 10 s after it: $fds_after"

fail=0
grep -qE "Non-2xx|Socket errors" "$work/wrk.out" && { echo "FAIL: HTTP errors"; fail=1; }
[ "$chat_status" -eq 0 ] || { echo "FAIL: chat"; fail=1; }
growth=$(awk -v s="$start" -v e="$end" '$1 >= s && $1 <= e { t = ($1 - s) / (e - s); if (t >= 1/3 && t < 2/3) { a += $2; na++ } else if (t >= 2/3) { b += $2; nb++ } } END { g = ((b / nb) - (a / na)) / (a / na); print (g > 0.10 ? 1 : 0) }' "$work/samples")
[ "$growth" -eq 0 ] || { echo "FAIL: resident memory grew by more than 10 %"; fail=1; }
[ "$fds_after" -le $((fds_before + 5)) ] || { echo "FAIL: open files not released"; fail=1; }
[ "$fail" -eq 0 ] && echo "PASS"
exit "$fail"

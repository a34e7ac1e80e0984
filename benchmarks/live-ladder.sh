#!/usr/bin/env bash
# A live ladder, side by side: hlskit's RTMP ingest encoding one 720p30 publisher into 720p +
# 360p live HLS, against one ffmpeg command (the libav natives' own ffmpeg 8.1, the same libx264)
# doing the same ladder from the same RTMP input. Both get the same bytes: a 3 Mb/s 720p30 clip
# sent in real time by `ffmpeg -re -c copy`. Prints, for each round, the CPU each side spent per
# second of media and whether it kept real time (hlskit: the speed and lag /api/live reports;
# both: media seconds in the playlists against wall seconds), then the medians.
#
#   ./mvnw -q package -DskipTests && SECONDS_PER_RUN=300 ROUNDS=3 benchmarks/live-ladder.sh
set -euo pipefail
cd "$(dirname "$0")/.."
RUN=${SECONDS_PER_RUN:-300}
ROUNDS=${ROUNDS:-1}
JAR=demo-app/target/hlskit-demo.jar
[ -f "$JAR" ] || { echo "build first: ./mvnw -q package -DskipTests" >&2; exit 1; }
FFMPEG=$(find ~/.javacpp/cache -path '*linux-x86_64-gpl*' -name ffmpeg -type f | head -1)
if [ -z "$FFMPEG" ]; then
  # unpack the natives' ffmpeg as JavaCPP does for the tests
  java -cp "$JAR" org.bytedeco.javacpp.Loader -print org.bytedeco.ffmpeg.ffmpeg >/dev/null 2>&1 || true
  FFMPEG=$(find ~/.javacpp/cache -path '*linux-x86_64-gpl*' -name ffmpeg -type f | head -1)
fi
[ -n "$FFMPEG" ] || { echo "the natives' ffmpeg is not unpacked: run the hls-transcode tests once" >&2; exit 1; }
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
TICK=$(getconf CLK_TCK)

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

# the input, made once: 60 s of 720p30 at 3 Mb/s with a tone, sent in a loop
ffmpeg -hide_banner -loglevel error -f lavfi -i testsrc2=size=1280x720:rate=30 \
  -f lavfi -i sine=frequency=440:sample_rate=48000 -t 60 -c:v libx264 -preset veryfast \
  -b:v 3M -maxrate 3M -bufsize 6M -g 60 -pix_fmt yuv420p -c:a aac -b:a 128k -f flv "$work/in.flv"
publish() { # url
  ffmpeg -hide_banner -loglevel error -re -stream_loop -1 -i "$work/in.flv" -t "$RUN" -c copy \
    -f flv "$1"
}

# CPU seconds of process $1 over the steady part of a run: from 10 s in to 5 s before the end
steady_cpu() {
  sleep 10
  local a; a=$(cpu_ticks "$1")
  sleep $((RUN - 15))
  local b; b=$(cpu_ticks "$1")
  echo "($b - $a) / $TICK" | bc -l
}

report() { # side cpu_seconds media_seconds wall_seconds [speed lag]
  python3 - "$@" <<'PY'
import sys
side, cpu, media, wall = sys.argv[1], *map(float, sys.argv[2:5])
steady = wall - 15
extra = f"  speed {float(sys.argv[5]):.2f}  lag {float(sys.argv[6]):.1f} s" if len(sys.argv) > 6 else ""
print(f"{side:7s} cpu/s of media {cpu / steady:.3f}  (cpu {cpu:.1f} s over {steady:.0f} s)"
      f"  playlist {media:.1f} s of {wall:.0f} s sent{extra}")
PY
}

hlskit_round() {
  local port=18380 rtmp=11935 token=bench
  rm -rf "$work/streams"
  local key
  key=$(java -jar "$JAR" live bench --profile 720p:1500k,360p:500k --dvr 10m \
    --streams "$work/streams" 2>/dev/null | tail -1)
  java -jar "$JAR" serve --no-samples --port $port --rtmp-port $rtmp --admin-token $token \
    --streams "$work/streams" >"$work/serve.log" 2>&1 &
  local pid=$!
  for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/api/health" >/dev/null && break; sleep 0.2; done
  publish "rtmp://127.0.0.1:$rtmp/live/$key" &
  local pub=$!
  local cpu; cpu=$(steady_cpu $pid)
  local stats; stats=$(curl -s -H "Authorization: Bearer $token" "http://127.0.0.1:$port/api/live/bench")
  wait $pub
  sleep 3 # the last segment
  kill $pid; wait $pid 2>/dev/null || true
  local media; media=$(python3 -c "import re,sys; print(sum(float(x) for x in re.findall(r'#EXTINF:([0-9.]+)', open(sys.argv[1]).read())))" "$work/streams/bench/720p/index.m3u8")
  local speed lag
  speed=$(python3 -c "import json,sys; print((json.loads(sys.argv[1]).get('ingest') or {}).get('speed',0))" "$stats")
  lag=$(python3 -c "import json,sys; print((json.loads(sys.argv[1]).get('ingest') or {}).get('lagSeconds',0))" "$stats")
  report hlskit "$cpu" "$media" "$RUN" "$speed" "$lag"
}

ffmpeg_round() {
  local rtmp=11936
  rm -rf "$work/ff"; mkdir -p "$work/ff"
  "$FFMPEG" -hide_banner -loglevel error -listen 1 -i "rtmp://127.0.0.1:$rtmp/live/bench" \
    -filter_complex "[0:v]split=2[a][b];[b]scale=-2:360[b2]" \
    -map "[a]" -map "[b2]" -map 0:a -map 0:a \
    -c:v libx264 -preset veryfast -tune zerolatency -profile:v high -g 60 -keyint_min 60 \
    -sc_threshold 0 -force_key_frames "expr:gte(t,n_forced*2)" \
    -b:v:0 1500k -maxrate:v:0 2250k -bufsize:v:0 3000k \
    -b:v:1 500k -maxrate:v:1 750k -bufsize:v:1 1000k \
    -c:a aac -b:a 128k -ar 48000 -ac 2 \
    -f hls -hls_time 2 -hls_list_size 0 -hls_flags independent_segments \
    -var_stream_map "v:0,a:0 v:1,a:1" -master_pl_name playlist.m3u8 \
    -hls_segment_filename "$work/ff/%v/seg_%05d.ts" "$work/ff/%v/index.m3u8" &
  local pid=$!
  sleep 1
  publish "rtmp://127.0.0.1:$rtmp/live/bench" &
  local pub=$!
  local cpu; cpu=$(steady_cpu $pid)
  wait $pub
  wait $pid || true
  local media; media=$(python3 -c "import re,sys; print(sum(float(x) for x in re.findall(r'#EXTINF:([0-9.]+)', open(sys.argv[1]).read())))" "$work/ff/0/index.m3u8")
  report ffmpeg "$cpu" "$media" "$RUN"
}

echo "live ladder, 720p30 3 Mb/s in, 720p 1500k + 360p 500k out, ${RUN} s a run, $(nproc) cores"
for r in $(seq "$ROUNDS"); do
  hlskit_round
  ffmpeg_round
done

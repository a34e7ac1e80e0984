#!/usr/bin/env python3
"""Live passthrough, side by side: N publishers of 3 Mb/s 720p30 over RTMP into hlskit's ingest
(profile `source`: the stream copied and cut at its keyframes, 2 s segments) against nginx-rtmp's
HLS (Debian's libnginx-mod-rtmp, one worker, hls_fragment 2s) on the same input.

For each side and each count of publishers it prints:
- CPU per publisher: the server's CPU seconds (all its processes) per wall second over the
  steady part of the run, divided by the publishers;
- the time from a segment's last frame sent to its entry in the playlist: each publisher sends
  in real time (`ffmpeg -re`), and its progress lines say when media time 0 left, so the last
  frame of a segment ending at media time t left at origin + t; the entry is seen by polling
  every playlist every 20 ms (medians and 95th percentiles over every segment of the steady
  part of every publisher).

The publishers (Debian's ffmpeg, `-c copy`) run on the same machine and cost the same on both
sides. Reproduce:

    ./mvnw -q package -DskipTests
    sudo apt-get install nginx libnginx-mod-rtmp
    PUBLISHERS=20,50 SECONDS_PER_RUN=60 ROUNDS=3 benchmarks/live-passthrough.py

(KEEP=1 keeps the server and publisher logs.)
"""
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
JAR = ROOT / "demo-app/target/hlskit-demo.jar"
RUN = int(os.environ.get("SECONDS_PER_RUN", "60"))
ROUNDS = int(os.environ.get("ROUNDS", "1"))
COUNTS = [int(n) for n in os.environ.get("PUBLISHERS", "20,50").split(",")]
WARMUP = 15  # seconds before measuring: every publisher connected, first segments out
TICK = os.sysconf("SC_CLK_TCK")
HTTP, RTMP_HLSKIT, RTMP_NGINX = 18390, 11945, 11946
TOKEN = "bench"


def cpu_ticks(pids):
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])  # utime, stime
        except FileNotFoundError:
            pass
    return total


def children(pid):
    out = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout
    return [int(p) for p in out.split()]


def make_input(work):
    clip = work / "in.flv"
    subprocess.run(["ffmpeg", "-hide_banner", "-loglevel", "error", "-f", "lavfi", "-i",
                    "testsrc2=size=1280x720:rate=30", "-f", "lavfi", "-i",
                    "sine=frequency=440:sample_rate=48000", "-t", "60", "-c:v", "libx264",
                    "-preset", "veryfast", "-b:v", "3M", "-maxrate", "3M", "-bufsize", "6M",
                    "-g", "60", "-pix_fmt", "yuv420p", "-c:a", "aac", "-b:a", "128k",
                    "-f", "flv", str(clip)], check=True)
    return clip


class Publisher:
    """ffmpeg sending the clip in real time; its progress lines (media time sent, read as they
    come) tell when media time 0 left: the smallest wall - out_time seen, the least delayed."""

    def __init__(self, clip, url, seconds, log):
        self.origin = float("inf")
        self.process = subprocess.Popen(
            ["ffmpeg", "-hide_banner", "-loglevel", "error", "-nostdin", "-re", "-stream_loop",
             "-1", "-i", str(clip), "-t", str(seconds), "-c", "copy", "-f", "flv",
             "-progress", "pipe:1", "-stats_period", "0.1", url],
            stdout=subprocess.PIPE, stderr=open(log, "w"), text=True)
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        for line in self.process.stdout:
            if line.startswith("out_time_us="):
                now = time.time()
                try:
                    sent = int(line.split("=", 1)[1]) / 1e6
                except ValueError:
                    continue
                if sent > 0:
                    self.origin = min(self.origin, now - sent)


def segment_ends(text):
    """Each segment's URI and where it ends on the media timeline, from the first one listed."""
    ends, t = [], 0.0
    for duration, uri in re.findall(r"#EXTINF:([0-9.]+),?[^\n]*\n(?:#[^\n]*\n)*([^#\s][^\n]*)",
                                    text):
        t += float(duration)
        ends.append((uri.strip(), t))
    return ends


class Watcher:
    """Polls the playlists; notes, for each segment seen appear, last-frame-to-entry seconds.

    The DVR window outlasts a run, so each playlist's first entry is its stream's first segment,
    which starts at media time 0."""

    def __init__(self, playlists, publishers):
        self.playlists, self.publishers = playlists, dict(zip(playlists, publishers))
        self.seen = {p: set() for p in playlists}
        self.delays = []

    def until(self, deadline, counting):
        while time.time() < deadline:
            for p in self.playlists:
                now = time.time()
                try:
                    text = p.read_text()
                except (FileNotFoundError, UnicodeDecodeError):
                    continue
                for uri, end in segment_ends(text):
                    if uri not in self.seen[p]:
                        self.seen[p].add(uri)
                        if counting:
                            self.delays.append(now - (self.publishers[p].origin + end))
            time.sleep(0.02)


def hlskit_round(work, clip, n):
    streams = work / "streams"
    shutil.rmtree(streams, ignore_errors=True)
    server = subprocess.Popen(["java", "-jar", str(JAR), "serve", "--no-samples", "--port",
                               str(HTTP), "--rtmp-port", str(RTMP_HLSKIT), "--admin-token",
                               TOKEN, "--streams", str(streams)],
                              stdout=open(work / "serve.log", "w"), stderr=subprocess.STDOUT)
    for _ in range(150):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{HTTP}/api/health", timeout=1)
            break
        except OSError:
            time.sleep(0.2)
    keys = []
    for i in range(n):
        req = urllib.request.Request(
            f"http://127.0.0.1:{HTTP}/api/live",
            data=json.dumps({"id": f"ch{i}", "profile": "source", "dvr": "10m"}).encode(),
            headers={"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"})
        keys.append(json.load(urllib.request.urlopen(req))["streamKey"])
    playlists = [streams / f"ch{i}/source/index.m3u8" for i in range(n)]
    urls = [f"rtmp://127.0.0.1:{RTMP_HLSKIT}/live/{k}" for k in keys]
    try:
        return measure([server.pid], urls, playlists, clip)
    finally:
        server.terminate()
        server.wait()


def nginx_round(work, clip, n):
    hls = work / "nginx"
    shutil.rmtree(hls, ignore_errors=True)
    hls.mkdir()
    hls.chmod(0o777)  # nginx's worker runs as nobody when started by root
    conf = work / "nginx.conf"
    conf.write_text(f"""
load_module /usr/lib/nginx/modules/ngx_rtmp_module.so;
worker_processes 1;
daemon off;
pid {work}/nginx.pid;
error_log {work}/nginx-error.log warn;
events {{ worker_connections 4096; }}
rtmp {{
  server {{
    listen 127.0.0.1:{RTMP_NGINX};
    chunk_size 4096;
    application live {{
      live on;
      hls on;
      hls_path {hls};
      hls_nested on;
      hls_fragment 2s;
      hls_playlist_length 10m;
      hls_cleanup off;
    }}
  }}
}}
""")
    server = subprocess.Popen(["nginx", "-c", str(conf), "-p", str(work)],
                              stdout=subprocess.DEVNULL, stderr=open(work / "nginx.log", "w"))
    time.sleep(1)
    pids = [server.pid] + children(server.pid)
    playlists = [hls / f"ch{i}/index.m3u8" for i in range(n)]
    urls = [f"rtmp://127.0.0.1:{RTMP_NGINX}/live/ch{i}" for i in range(n)]
    try:
        return measure(pids, urls, playlists, clip)
    finally:
        server.terminate()
        server.wait()


def measure(pids, urls, playlists, clip):
    publishers = [Publisher(clip, url, RUN, clip.parent / f"publisher{i}.log")
                  for i, url in enumerate(urls)]
    begin = time.time()
    watcher = Watcher(playlists, publishers)
    watcher.until(begin + WARMUP, counting=False)  # every publisher connected, first segments
    cpu_from, wall_from = cpu_ticks(pids), time.time()
    watcher.until(begin + RUN - 5, counting=True)
    cpu_to, wall_to = cpu_ticks(pids), time.time()
    for p in publishers:
        p.process.wait()
    alive = sum(1 for p in playlists if p.exists())
    cpu = (cpu_to - cpu_from) / TICK / (wall_to - wall_from)
    return cpu, watcher.delays, alive


SIDES = [(name, fn) for name, fn in (("hlskit", hlskit_round), ("nginx", nginx_round))
         if name in os.environ.get("SIDES", "hlskit,nginx").split(",")]


def main():
    if not JAR.exists():
        sys.exit("build first: ./mvnw -q package -DskipTests")
    if not Path("/usr/lib/nginx/modules/ngx_rtmp_module.so").exists():
        sys.exit("nginx-rtmp is missing: sudo apt-get install nginx libnginx-mod-rtmp")
    work = Path(tempfile.mkdtemp())
    work.chmod(0o755)
    try:
        clip = make_input(work)
        print(f"live passthrough, 720p30 3 Mb/s publishers, {RUN} s a run, {os.cpu_count()} cores")
        results = {}
        for n in COUNTS:
            for r in range(ROUNDS):
                for side, fn in SIDES:
                    cpu, delays, alive = fn(work, clip, n)
                    d = sorted(delays)
                    p50 = statistics.median(d) if d else float("nan")
                    p95 = d[int(len(d) * 0.95)] if d else float("nan")
                    results.setdefault((n, side), []).append((cpu, p50, p95))
                    print(f"{n:3d} publishers  {side:6s} cpu {cpu:.3f} cores = {cpu / n * 1000:.1f}"
                          f" ms/s per publisher  last frame to playlist p50 {p50:.2f} s"
                          f" p95 {p95:.2f} s  ({len(d)} segments, {alive}/{n} playlists)",
                          flush=True)
        print("medians over rounds:")
        for n in COUNTS if len(SIDES) == 2 else []:
            row = {}
            for side in ("hlskit", "nginx"):
                rs = results[(n, side)]
                row[side] = [statistics.median(x[i] for x in rs) for i in range(3)]
            h, g = row["hlskit"], row["nginx"]
            print(f"{n:3d} publishers  cpu per publisher hlskit {h[0] / n * 1000:.1f} ms/s,"
                  f" nginx {g[0] / n * 1000:.1f} ms/s (ratio {h[0] / g[0]:.2f});"
                  f" last frame to playlist p50 hlskit {h[1]:.2f} s, nginx {g[1]:.2f} s;"
                  f" p95 {h[2]:.2f} s, {g[2]:.2f} s")
    finally:
        if os.environ.get("KEEP"):
            print("logs kept in", work)
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()

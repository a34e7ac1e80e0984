#!/usr/bin/env bash
# TLS handshakes, many at once: 128 clients (h2load, HTTP/2, one request each) connecting at the
# same moment to nginx (its OpenSSL), to hlskit with the JDK's TLS and to hlskit with BoringSSL
# through Conscrypt (HlsServer.Builder.tlsProvider(CONSCRYPT)), all on one self-signed EC P-256
# certificate, TLS 1.3. Each server runs on core 0, h2load on core 1; each server is warmed with
# six bursts, then ROUNDS bursts go to each in turn. Prints h2load's mean connect time (TCP and
# TLS) and mean time to the first byte per burst, and their medians.
#
#   ./mvnw -q package -DskipTests -pl benchmarks -am
#   apt-get install nginx nghttp2-client
#   ROUNDS=5 benchmarks/tls-handshakes.sh
set -euo pipefail
cd "$(dirname "$0")/.."
JAR=${JAR:-benchmarks/target/benchmarks.jar}
ROUNDS=${ROUNDS:-5}
for tool in nginx h2load openssl; do
  command -v $tool > /dev/null || { echo "needs $tool (apt-get install nginx nghttp2-client)"; exit 1; }
done
work=$(mktemp -d)
pids=()
trap 'kill "${pids[@]}" 2>/dev/null || true; rm -rf "$work"' EXIT
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 \
  -subj /CN=127.0.0.1 -keyout "$work/key.pem" -out "$work/cert.pem" 2>/dev/null
mkdir -p "$work/streams"
cat > "$work/nginx.conf" <<EOF
worker_processes 1;
daemon off;
pid $work/nginx.pid;
error_log $work/nginx-error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  server {
    listen 127.0.0.1:18444 ssl http2;
    ssl_certificate $work/cert.pem; ssl_certificate_key $work/key.pem;
    ssl_protocols TLSv1.2 TLSv1.3;
    location / { return 200 '{"status":"UP"}'; }
  }
}
EOF
taskset -c 0 nginx -c "$work/nginx.conf" -p "$work" > "$work/nginx.log" 2>&1 &
pids+=($!)
HLS_TLS_CERT=$work/cert.pem HLS_TLS_KEY=$work/key.pem taskset -c 0 java -cp "$JAR" \
  io.hlskit.benchmarks.ServeFolder "$work/streams" 18443 > "$work/jdk.log" 2>&1 &
pids+=($!)
HLS_TLS_PROVIDER=conscrypt HLS_TLS_CERT=$work/cert.pem HLS_TLS_KEY=$work/key.pem \
  taskset -c 0 java -cp "$JAR" io.hlskit.benchmarks.ServeFolder "$work/streams" 18445 \
  > "$work/conscrypt.log" 2>&1 &
pids+=($!)
for port in 18444 18443 18445; do
  for _ in $(seq 60); do
    curl -sk -o /dev/null "https://127.0.0.1:$port/api/health" && break
    sleep 0.5
  done
done
burst() {
  taskset -c 1 h2load -c128 -n128 -m1 -t1 "https://127.0.0.1:$1/api/health" 2>&1 |
    awk '/time for connect/ {c=$6} /time to 1st byte/ {b=$7} END {print c, b}'
}
for port in 18444 18443 18445; do
  for _ in 1 2 3 4 5 6; do burst $port > /dev/null; done
done
declare -A name=([18444]=nginx [18443]="hlskit, JDK" [18445]="hlskit, Conscrypt")
for r in $(seq "$ROUNDS"); do
  for port in 18444 18443 18445; do
    read -r c b < <(burst $port)
    echo "round $r  ${name[$port]}: connect $c, first byte $b"
    echo "$port $c $b" >> "$work/all.txt"
  done
done
echo "medians (ms):"
for port in 18444 18443 18445; do
  awk -v p=$port '$1 == p {
      c = $2; b = $3; sub(/ms/, "", c); sub(/ms/, "", b)
      if ($2 ~ /[^m]s$/) c *= 1000; if ($3 ~ /[^m]s$/) b *= 1000
      print c, b }' "$work/all.txt" |
    sort -n | awk -v n="${name[$port]}" '{c[NR] = $1} END {printf "%s: connect %s", n, c[int((NR + 1) / 2)]}'
  awk -v p=$port '$1 == p { b = $3; sub(/ms/, "", b); if ($3 ~ /[^m]s$/) b *= 1000; print b }' \
    "$work/all.txt" | sort -n | awk '{b[NR] = $1} END {printf ", first byte %s\n", b[int((NR + 1) / 2)]}'
done

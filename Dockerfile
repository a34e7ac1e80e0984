# hlskit demo: build with Maven, run on a JRE. The image serves ./streams-like storage from the
# volume /data (or S3 and Redis through HLS_* variables, see demo-app/deploy/compose.yaml).
#   docker build -t hlskit .
#   docker run -p 8080:8080 -v hlskit-data:/data hlskit
# Other CPUs: --build-arg JAVACPP_PLATFORM=linux-arm64 (the libav natives bundled in the jar).

FROM eclipse-temurin:17-jdk AS build
ARG JAVACPP_PLATFORM=linux-x86_64
WORKDIR /src
# the wrapper and POMs first, so that dependencies are a cached layer of their own
COPY mvnw pom.xml ./
COPY .mvn .mvn
COPY hls-core/pom.xml hls-core/
COPY hls-transcode/pom.xml hls-transcode/
COPY hls-storage-fs/pom.xml hls-storage-fs/
COPY hls-storage-s3/pom.xml hls-storage-s3/
COPY hls-chat-redis/pom.xml hls-chat-redis/
COPY hls-server-undertow/pom.xml hls-server-undertow/
COPY demo-app/pom.xml demo-app/
COPY benchmarks/pom.xml benchmarks/
RUN ./mvnw -B -ntp -q -pl demo-app -am -Djavacpp.platform=${JAVACPP_PLATFORM} \
      dependency:go-offline || true
COPY . .
RUN ./mvnw -B -ntp -q -pl demo-app -am -DskipTests -Djavacpp.platform=${JAVACPP_PLATFORM} \
      package

FROM eclipse-temurin:17-jre
# curl for the health check; libudev and zlib are what the bundled libav natives load from the
# system (the rest ships inside the jar)
RUN apt-get update \
 && apt-get install -y --no-install-recommends curl libudev1 zlib1g \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --create-home --home-dir /home/hlskit hlskit \
 && mkdir -p /data && chown hlskit /data
COPY --from=build /src/demo-app/target/hlskit-demo.jar /app/hlskit-demo.jar
USER hlskit
WORKDIR /data
# two malloc arenas: the libav threads (one per rendition, x264's own) would otherwise each
# get one of up to 8 per core, and resident memory grows with them; a fixed mmap threshold:
# glibc's sliding one moves x264's large buffers into the arenas, where they fragment
# (benchmarks/RELIABILITY.md)
ENV MALLOC_ARENA_MAX=2 \
    MALLOC_MMAP_THRESHOLD_=131072 \
    HLS_PORT=8080 \
    HLS_RTMP_PORT=1935 \
    HLS_STREAMS=/data/streams \
    JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75"
VOLUME /data
# HTTP, and RTMP for live channels' publishers (OBS, ffmpeg: rtmp://<host>:1935/live)
EXPOSE 8080 1935
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 \
  CMD curl -fsS http://127.0.0.1:${HLS_PORT}/api/health || exit 1
ENTRYPOINT ["java", "-jar", "/app/hlskit-demo.jar"]
CMD ["serve"]

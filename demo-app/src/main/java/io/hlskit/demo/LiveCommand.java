package io.hlskit.demo;

import io.hlskit.core.HlsException;
import io.hlskit.core.channel.ChannelMetadata;
import io.hlskit.core.channel.LiveSettings;
import io.hlskit.core.channel.Visibility;
import io.hlskit.core.live.LiveChannels;
import io.hlskit.core.store.MediaStore;
import io.hlskit.transcode.Ladder;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code live}: creates or updates a live channel and prints its stream key, last, so that a
 * script can take it with {@code tail -1}.
 */
@Command(name = "live", mixinStandardHelpOptions = true,
    description = {"Creates a live channel, or changes one, and prints its stream key as the"
        + " last line: publish to rtmp://<host>:<rtmp port>/live with that key (OBS), or to"
        + " rtmp://<host>:<rtmp port>/live/<key> (ffmpeg), to a `serve --rtmp-port 1935` on the"
        + " same storage; with --srt-port, SRT too (srt://<host>:<port>?passphrase=<secret>).",
        "Every option also reads from the environment variable named in its description."})
final class LiveCommand implements Callable<Integer> {
  /** What a live channel is encoded as unless told: 720p and 360p, which two cores keep up. */
  static final String DEFAULT_LADDER = "720p:1500k,360p:500k";

  @Spec
  CommandSpec spec;

  @Parameters(index = "0", paramLabel = "<channel>",
      description = "the live channel's id: 1-64 of a-z, 0-9, _ and -")
  String channel;

  @Option(names = "--title", defaultValue = "${env:HLS_TITLE}",
      description = "the channel's title (HLS_TITLE; default: the channel id, or the title it"
          + " has)")
  String title;

  @Option(names = {"--profile", "--ladder"}, defaultValue = "${env:HLS_PROFILE}",
      description = "how the stream is encoded: low, medium, high, abr, source (the stream's own"
          + " codecs, no re-encoding) or a ladder such as 720p:2500k,360p:800k (HLS_PROFILE;"
          + " default " + DEFAULT_LADDER + ")")
  String profile;

  @Option(names = "--segment", defaultValue = "${env:HLS_SEGMENT}",
      description = "segment length, 1s to 6s (HLS_SEGMENT; default 2s)")
  String segment;

  @Option(names = "--dvr", defaultValue = "${env:HLS_DVR}",
      description = "how far back viewers may seek, as 30m or 2h (HLS_DVR; default 5m); older"
          + " segments are deleted unless recorded")
  String dvr;

  @Option(names = "--record", defaultValue = "${env:HLS_RECORD}", arity = "0..1",
      fallbackValue = "vod",
      description = "what a broadcast becomes when it ends: off, vod (the channel becomes the"
          + " recording; --record alone) or archive (HLS_RECORD; default off)")
  String record;

  @Option(names = "--takeover", negatable = true, defaultValue = "${env:HLS_TAKEOVER}",
      description = "let a second publisher take the channel over from the one live, or not"
          + " (--no-takeover; HLS_TAKEOVER; default: not)")
  Boolean takeover;

  @Option(names = "--srt-port", defaultValue = "${env:HLS_SRT_PORT}",
      description = "also take SRT on this UDP port, MPEG-TS inside, the stream key's secret as"
          + " passphrase; a port per channel, 0 for none (HLS_SRT_PORT; default: none)")
  Integer srtPort;

  @Option(names = "--low-latency", negatable = true, defaultValue = "${env:HLS_LOW_LATENCY}",
      description = "Low-Latency HLS: parts, blocking reloads, viewers a second or two behind;"
          + " --no-low-latency for plain live HLS (HLS_LOW_LATENCY; default: on)")
  Boolean lowLatency;

  @Option(names = "--part", defaultValue = "${env:HLS_PART}",
      description = "the longest low-latency part, 0.2s to 1s, at most half a segment"
          + " (HLS_PART; default 0.334s)")
  String part;

  @Option(names = "--format", defaultValue = "${env:HLS_LIVE_FORMAT}",
      description = "segments and parts in ts (MPEG-TS) or fmp4 (fragmented MP4, CMAF)"
          + " (HLS_LIVE_FORMAT; default ts)")
  String format;

  @Option(names = "--private", negatable = true, defaultValue = "${env:HLS_PRIVATE}",
      description = "listed and played only with a token, or public again (--no-private;"
          + " HLS_PRIVATE; default: public)")
  Boolean privateChannel;

  @Option(names = "--new-key", defaultValue = "${env:HLS_NEW_KEY:-false}",
      description = "give the channel a new stream key; the old one is refused from then on"
          + " (HLS_NEW_KEY)")
  boolean newKey;

  @Mixin
  StorageOptions storage;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    try (MediaStore store = storage.openStore()) {
      Optional<ChannelMetadata> existing = store.channelMetadata(channel)
          .filter(ChannelMetadata::isLive);
      // an update changes what is given and keeps the rest
      LiveSettings s = existing.flatMap(ChannelMetadata::live)
          .orElse(LiveSettings.of(DEFAULT_LADDER));
      try {
        if (profile != null) {
          Ladder.parse(profile); // refused here, not when the first publisher comes
          s = s.withProfile(profile.strip());
        }
        if (segment != null) {
          s = s.withSegmentDuration(LiveSettings.parseDuration(segment, "--segment"));
        }
        if (dvr != null) {
          s = s.withDvr(LiveSettings.parseDuration(dvr, "--dvr"));
        }
        if (record != null) {
          s = s.withRecord(LiveSettings.Record.parse(record));
        }
        if (takeover != null) {
          s = s.withTakeover(takeover);
        }
        if (srtPort != null) {
          s = s.withSrtPort(srtPort);
        }
        if (part != null) {
          s = s.withPartTarget(LiveSettings.parseDuration(part, "--part"));
        }
        if (lowLatency != null) {
          s = s.withLowLatency(lowLatency);
        }
        if (format != null) {
          try {
            s = s.withFormat(LiveSettings.Format.parse(format));
          } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--" + e.getMessage(), e);
          }
        }
      } catch (IllegalArgumentException e) {
        return fail(e.getMessage());
      }
      String name = title != null ? title : existing.map(ChannelMetadata::title).orElse(channel);
      Visibility visibility = privateChannel != null
          ? (privateChannel ? Visibility.PRIVATE : Visibility.PUBLIC)
          : existing.map(ChannelMetadata::visibility).orElse(Visibility.PUBLIC);
      LiveChannels.Created created = LiveChannels.createOrUpdate(store, channel, name,
          visibility, s);
      String key = newKey ? LiveChannels.newKey(store, channel) : created.streamKey();
      LiveSettings now = created.channel().live().orElseThrow();
      out.printf("live channel %s (%s, %s): %s, %d s %s segments%s, DVR %s, recording %s%s%s%n",
          channel, created.channel().title(), existing.isPresent() ? "updated" : "created",
          now.profile(), now.segmentDuration().toSeconds(),
          now.format() == LiveSettings.Format.FMP4 ? "fMP4" : "MPEG-TS", now.lowLatency()
              ? " in " + now.partTarget().toMillis() / 1000.0 + " s low-latency parts" : "",
          minutes(now.dvr()),
          now.record().jsonName(), now.takeover() ? ", take-over allowed" : "",
          now.srtPort() > 0 ? ", SRT on UDP " + now.srtPort() : "");
      out.println("publish to rtmp://<host>:<rtmp port>/live with the stream key below (OBS),"
          + " or to rtmp://<host>:<rtmp port>/live/<stream key> (ffmpeg); play "
          + storage.describe(channel));
      if (now.srtPort() > 0) {
        out.printf("or over SRT to srt://<host>:%d?passphrase=%s (MPEG-TS)%n", now.srtPort(),
            key.substring(key.indexOf("?key=") + "?key=".length()));
      }
      out.println(key);
      out.flush();
      return 0;
    } catch (HlsException | IllegalArgumentException e) {
      return fail(Main.withOptions(e.getMessage()));
    }
  }

  private static String minutes(Duration d) {
    return d.toSeconds() % 60 == 0 ? d.toMinutes() + " min" : d.toSeconds() + " s";
  }

  private int fail(String message) {
    spec.commandLine().getErr().println("live failed: " + message);
    return 1;
  }
}

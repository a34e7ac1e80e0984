package io.hlskit.demo;

import io.hlskit.core.HlsException;
import io.hlskit.core.channel.ChannelMetadata;
import io.hlskit.core.channel.Visibility;
import io.hlskit.core.linear.LinearChannels;
import io.hlskit.core.linear.Schedule;
import io.hlskit.core.store.MediaStore;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code linear}: a schedule of stored channels published as a live channel. */
@Command(name = "linear", mixinStandardHelpOptions = true,
    description = {"Publishes a linear channel: stored channels played one after another as a"
        + " live stream, the same moment for every viewer, without transcoding or copying a"
        + " segment (linear news --title News --item a --item b).",
        "Every option also reads from the environment variable named in its description."})
final class LinearCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Parameters(index = "0", paramLabel = "<channel>",
      description = "the linear channel's id: 1-64 of a-z, 0-9, _ and -")
  String channel;

  @Option(names = "--item", split = ",", defaultValue = "${env:HLS_ITEMS}",
      description = "a stored channel to play, in order; repeat it or separate with commas"
          + " (HLS_ITEMS); all must share the first one's renditions")
  List<String> items;

  @Option(names = "--title", defaultValue = "${env:HLS_TITLE}",
      description = "the channel's title (HLS_TITLE; default: the channel id)")
  String title;

  @Option(names = "--start", defaultValue = "${env:HLS_START}",
      description = "when the first item airs, ISO 8601 such as 2026-12-01T20:00:00Z"
          + " (HLS_START; default: now)")
  String start;

  @Option(names = "--no-loop", defaultValue = "${env:HLS_NO_LOOP:-false}",
      description = "end after the last item instead of starting over (HLS_NO_LOOP)")
  boolean noLoop;

  @Option(names = "--private", defaultValue = "${env:HLS_PRIVATE:-false}",
      description = "listed and played only with a token (HLS_PRIVATE)")
  boolean privateChannel;

  @Option(names = "--replace", defaultValue = "${env:HLS_REPLACE:-false}",
      description = "replace the linear channel when it exists already (HLS_REPLACE)")
  boolean replace;

  @Mixin
  StorageOptions storage;

  @Override
  public Integer call() {
    try {
      if (items == null || items.isEmpty()) {
        return fail("give the channels to play with --item (--item a --item b)");
      }
      Instant from;
      try {
        from = start == null || start.isBlank() ? Instant.now().truncatedTo(ChronoUnit.SECONDS)
            : Instant.parse(start.strip());
      } catch (DateTimeParseException e) {
        return fail("--start '" + start + "' is not an ISO 8601 instant such as"
            + " 2026-12-01T20:00:00Z");
      }
      Schedule schedule;
      try {
        schedule = new Schedule(from, !noLoop, items.stream().map(String::strip)
            .map(Schedule.Item::new).collect(Collectors.toList()));
      } catch (IllegalArgumentException e) {
        return fail(e.getMessage());
      }
      ChannelMetadata published;
      try (MediaStore store = storage.openStore()) {
        store.channels().refresh(); // the items as they are now, not at the last scan
        if (!replace && store.channels().get(channel).filter(ChannelMetadata::isLinear)
            .isPresent()) {
          return fail("channel " + channel + " exists already; add --replace to change its"
              + " schedule");
        }
        published = LinearChannels.publish(store, channel, title == null ? channel : title,
            privateChannel ? Visibility.PRIVATE : Visibility.PUBLIC, schedule);
      }
      spec.commandLine().getOut().printf("linear channel %s: %s from %s%s, one pass %.1f s:"
          + " %s%n", published.id(), String.join(", ", items), from,
          noLoop ? "" : " in a loop", published.duration().toMillis() / 1000.0,
          storage.describe(published.id()).replace("/playlist.m3u8", ""));
      return 0;
    } catch (HlsException | IllegalArgumentException e) {
      return fail(Main.withOptions(e.getMessage()));
    }
  }

  private int fail(String message) {
    spec.commandLine().getErr().println("linear failed: " + message);
    return 1;
  }
}

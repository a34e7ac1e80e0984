package io.hlskit.transcode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A transcoder's working folders, seen from a test. Tests give their transcoder a work directory
 * of their own ({@link Transcoder.Builder#workDirectory}), so that nothing else running on the
 * machine shows up there.
 */
final class WorkFolders {
  private WorkFolders() {}

  /** The working folders in {@code root} now. */
  static Set<Path> list(Path root) {
    try (Stream<Path> folders = Files.list(root)) {
      return folders.filter(p -> p.getFileName().toString().startsWith(Transcoder.WORK_PREFIX))
          .collect(Collectors.toSet());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * A listener that, once the transcode working in {@code root} is {@code fraction} done, takes
   * away the folder where the muxer of rendition {@code n} (1 the smallest) writes, as a disk
   * cleaned under a running job would: that rendition's muxer fails when it opens its next
   * segment. The folder is renamed (one atomic step, while the muxer writes in it) within the
   * working folder, which the transcoder removes whole.
   */
  static ProgressListener removingRendition(Path root, int n, double fraction) {
    Set<Path> before = list(root);
    AtomicBoolean done = new AtomicBoolean();
    return p -> {
      if (p.fraction() < fraction || done.getAndSet(true)) {
        return;
      }
      for (Path work : list(root)) {
        if (!before.contains(work)) {
          try {
            Files.move(work.resolve("r" + n), work.resolve("removed"));
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        }
      }
    };
  }
}

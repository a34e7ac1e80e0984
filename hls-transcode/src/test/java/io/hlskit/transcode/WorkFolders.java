package io.hlskit.transcode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** The transcoder's working folders in the temporary directory, seen from a test. */
final class WorkFolders {
  private WorkFolders() {}

  /** The working folders there now. */
  static Set<Path> list() {
    try (Stream<Path> tmp = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
      return tmp.filter(p -> p.getFileName().toString().startsWith("hlskit-transcode-"))
          .collect(Collectors.toSet());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static long count() {
    return list().size();
  }

  /**
   * A listener that, once the transcode is {@code fraction} done, takes away the folder where
   * the muxer of rendition {@code n} (1 the smallest) writes, as a disk cleaned under a running
   * job would: that rendition's muxer fails when it opens its next segment. The folder is
   * renamed (one atomic step, while the muxer writes in it) within the working folder, which
   * the transcoder removes whole.
   */
  static ProgressListener removingRendition(int n, double fraction) {
    Set<Path> before = list();
    AtomicBoolean done = new AtomicBoolean();
    return p -> {
      if (p.fraction() < fraction || done.getAndSet(true)) {
        return;
      }
      for (Path work : list()) {
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

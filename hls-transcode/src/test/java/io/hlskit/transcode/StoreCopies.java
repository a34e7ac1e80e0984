package io.hlskit.transcode;

import io.hlskit.core.store.MediaStore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** Copies what a store holds onto disk, for readers that take files (ffprobe). */
final class StoreCopies {
  private StoreCopies() {}

  /** Every object under {@code prefix} written to {@code dir}, at its key. */
  static void copyOut(MediaStore store, String prefix, Path dir) throws IOException {
    for (var o : store.list(prefix)) {
      Path file = dir.resolve(o.key());
      Files.createDirectories(file.getParent());
      try (InputStream in = store.open(o.key()).orElseThrow().stream()) {
        Files.write(file, in.readAllBytes());
      }
    }
  }
}

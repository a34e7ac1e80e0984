package io.hlskit.core.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Folder chores the modules share: deleting a tree, and sweeping away what a killed process
 * left (drafts, spooled uploads, transcoders' working folders). Not part of the API.
 */
public final class Folders {
  private static final Logger LOG = LoggerFactory.getLogger(Folders.class);

  private Folders() {}

  /** Deletes {@code path} and everything under it; logs what it cannot delete. */
  public static void deleteTree(Path path) {
    if (path == null || !Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (Stream<Path> files = Files.walk(path)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> {
        try {
          Files.deleteIfExists(p);
        } catch (IOException e) {
          LOG.warn("could not delete {}: {}", p, e.toString());
        }
      });
    } catch (IOException | UncheckedIOException e) {
      LOG.warn("could not delete {}: {}", path, e.toString());
    }
  }

  /** The bytes of the regular files in the tree at {@code path}; what cannot be read counts 0. */
  public static long size(Path path) {
    try (Stream<Path> files = Files.walk(path)) {
      long total = 0;
      for (Path f : (Iterable<Path>) files::iterator) {
        try {
          if (Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)) {
            total += Files.size(f);
          }
        } catch (IOException e) {
          // moved or deleted meanwhile: no longer here to count
        }
      }
      return total;
    } catch (IOException | UncheckedIOException e) {
      return 0;
    }
  }

  /**
   * When anything in the tree at {@code path} was last written; now when it cannot be read (it
   * is changing under us: another process is at work, so it is not abandoned).
   */
  public static Instant lastWritten(Path path) {
    try (Stream<Path> files = Files.walk(path)) {
      Instant newest = Instant.EPOCH;
      for (Path f : (Iterable<Path>) files::iterator) {
        Instant t = Files.getLastModifiedTime(f, LinkOption.NOFOLLOW_LINKS).toInstant();
        if (t.isAfter(newest)) {
          newest = t;
        }
      }
      return newest;
    } catch (IOException | UncheckedIOException e) {
      return Instant.now();
    }
  }

  /**
   * Deletes the entries of {@code dir} matching {@code glob} that nothing has written into for
   * {@code age}: what a process killed mid-work left behind. Only those, since other processes
   * may share the folder and still be at work in it. A missing folder has nothing to sweep.
   *
   * @param what what the entries are, for the log ("draft")
   */
  public static void removeAbandoned(Path dir, String glob, Duration age, String what) {
    Instant cutoff = Instant.now().minus(age);
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, glob)) {
      for (Path entry : entries) {
        if (lastWritten(entry).isBefore(cutoff)) {
          LOG.info("removing the abandoned {} {}", what, entry);
          deleteTree(entry);
        }
      }
    } catch (NoSuchFileException e) {
      // nothing was ever left there
    } catch (IOException e) {
      LOG.warn("could not look for abandoned {}s in {}: {}", what, dir, e.toString());
    }
  }
}

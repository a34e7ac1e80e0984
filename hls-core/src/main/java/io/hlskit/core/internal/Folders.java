package io.hlskit.core.internal;

import io.hlskit.core.HlsException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.Set;
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

  /**
   * Makes sure {@code dir} is a folder only this process's user can enter: created with
   * {@code rwx------} when missing; when it exists, it must belong to this user, and is closed
   * to others if it was open and holds only this code's files (a spool in a shared temporary folder could otherwise be read or
   * planted by another user of the machine). File systems without POSIX permissions are taken
   * as they are.
   *
   * @param setting the builder setting that chose the folder, for the message
   * @param ownFiles a glob of the files this code puts there: an open folder holding nothing
   *     else is closed; one holding anything else (a shared folder given by mistake) is refused
   * @throws HlsException saying what is wrong with the folder and what to do
   */
  public static Path privateFolder(Path dir, String setting, String ownFiles) {
    try {
      if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
        if (dir.getFileSystem().supportedFileAttributeViews().contains("posix")) {
          Files.createDirectories(dir.getParent() == null ? dir : dir.getParent());
          try {
            Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwx------")));
          } catch (FileAlreadyExistsException e) {
            // made meanwhile by another process: checked below like any existing folder
          }
        } else {
          Files.createDirectories(dir);
        }
      }
      if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
        throw new HlsException(dir + " is not a folder (or is a link); give " + setting
            + " a folder of its own");
      }
      if (dir.getFileSystem().supportedFileAttributeViews().contains("posix")) {
        String me = System.getProperty("user.name");
        String owner = Files.getOwner(dir, LinkOption.NOFOLLOW_LINKS).getName();
        Set<PosixFilePermission> perms = Files.getPosixFilePermissions(dir,
            LinkOption.NOFOLLOW_LINKS);
        if (!owner.equals(me)) {
          throw new HlsException(dir + " belongs to " + owner + ", not to " + me + ", who runs"
              + " this server; give " + setting + " a folder of its own");
        }
        if (perms.stream().anyMatch(p -> p.name().startsWith("GROUP") || p.name()
            .startsWith("OTHERS"))) {
          if (!holdsOnly(dir, ownFiles)) {
            throw new HlsException(dir + " is open to other users ("
                + PosixFilePermissions.toString(perms) + ") and holds files that are not"
                + " ours; give " + setting + " a folder of its own, or run chmod 700 on it");
          }
          // ours, made by an older version or by hand: closed now, and said so
          Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
          LOG.info("{} was open to other users ({}); it is rwx------ now", dir,
              PosixFilePermissions.toString(perms));
        }
      }
      return dir;
    } catch (IOException e) {
      throw new HlsException("cannot prepare the folder " + dir + " (" + e + "); give "
          + setting + " a writable folder", e);
    }
  }

  private static boolean holdsOnly(Path dir, String glob) throws IOException {
    var matcher = dir.getFileSystem().getPathMatcher("glob:" + glob);
    try (Stream<Path> entries = Files.list(dir)) {
      return entries.allMatch(p -> matcher.matches(p.getFileName()));
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

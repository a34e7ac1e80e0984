package io.hlskit.storage.fs.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.UUID;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * Files written whole or not at all: into a temporary file beside the target, then renamed over
 * it. Also keeps writes and the removal of emptied folders apart: a folder is never removed
 * between a write making it and creating its temporary file there (within this process by a
 * lock, across processes on one folder by making it again). Thread-safe.
 */
public final class AtomicFiles {
  /** How often a write makes its folder again when another process keeps removing it. */
  private static final int ATTEMPTS = 5;

  /** Writes the content into the temporary file, which exists (empty) already. */
  public interface Filler {
    void fill(Path tmp) throws IOException;
  }

  /** Checks a folder before anything is written into it (that it is inside the store). */
  public interface FolderCheck {
    void check(Path dir) throws IOException;
  }

  /** Shared by writes making folders and files; exclusive to removing emptied folders. */
  private final ReadWriteLock folders = new ReentrantReadWriteLock();

  /**
   * The rest of {@code content}. Into the file as it is, not by replacing it: between a delete
   * and a create the folder would be empty, and a delete of its neighbour could remove it.
   */
  public static Filler fromStream(InputStream content) {
    return tmp -> {
      try (OutputStream out = Files.newOutputStream(tmp, StandardOpenOption.WRITE,
          StandardOpenOption.TRUNCATE_EXISTING)) {
        content.transferTo(out);
      }
    };
  }

  /** A copy of {@code source}, in the kernel where it can ({@code transferTo}). */
  public static Filler fromFile(Path source) {
    return tmp -> {
      try (FileChannel in = FileChannel.open(source, StandardOpenOption.READ);
          FileChannel out = FileChannel.open(tmp, StandardOpenOption.WRITE,
              StandardOpenOption.TRUNCATE_EXISTING)) {
        long size = in.size();
        for (long done = 0; done < size; ) {
          done += in.transferTo(done, size - done, out);
        }
      }
    };
  }

  /** Writes {@code target} whole from {@code filler}, its folder made and checked first. */
  public void write(Path target, Filler filler, FolderCheck check) throws IOException {
    for (int attempt = 1; ; attempt++) {
      try {
        writeOnce(target, filler, check);
        return;
      } catch (NoSuchFileException | FileAlreadyExistsException e) {
        // another process removed the folder between this one making it and using it
        Path dir = target.getParent();
        boolean notAFolder = Files.exists(dir, LinkOption.NOFOLLOW_LINKS)
            && !Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS);
        if (attempt == ATTEMPTS || notAFolder) {
          throw e;
        }
      }
    }
  }

  private void writeOnce(Path target, Filler filler, FolderCheck check) throws IOException {
    Path dir = target.getParent();
    Path tmp = null;
    try {
      folders.readLock().lock();
      try {
        Files.createDirectories(dir);
        check.check(dir);
        tmp = Files.createFile(
            dir.resolve("." + target.getFileName() + "." + UUID.randomUUID() + ".tmp"));
      } finally {
        folders.readLock().unlock();
      }
      filler.fill(tmp); // the folder holds tmp now: no one removes it
      move(tmp, target);
      tmp = null;
    } finally {
      if (tmp != null) {
        Files.deleteIfExists(tmp);
      }
    }
  }

  /**
   * Removes {@code dir} and its parents up to (not including) {@code root} while they are
   * empty, with no write making a folder meanwhile.
   */
  public void removeEmptyFolders(Path root, Path dir) {
    folders.writeLock().lock();
    try {
      for (Path d = dir; d != null && d.startsWith(root) && !d.equals(root); d = d.getParent()) {
        try {
          Files.delete(d);
        } catch (IOException e) {
          return; // not empty, or gone already: either way done
        }
      }
    } finally {
      folders.writeLock().unlock();
    }
  }

  /** Renames {@code from} over {@code to} atomically, or fails. */
  public static void move(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      throw new IOException("the file system of " + to + " cannot rename atomically", e);
    }
  }
}

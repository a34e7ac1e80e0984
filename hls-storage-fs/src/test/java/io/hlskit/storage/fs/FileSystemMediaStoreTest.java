package io.hlskit.storage.fs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hlskit.core.StorageException;
import io.hlskit.core.contract.MediaStoreContract;
import io.hlskit.core.store.ChannelDraft;
import io.hlskit.core.store.MediaStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.Test;

class FileSystemMediaStoreTest extends MediaStoreContract {
  private Path root;

  @Override
  protected MediaStore newStore() throws Exception {
    root = Files.createTempDirectory(tempDir, "streams");
    return FileSystemMediaStore.at(root);
  }

  @Test
  void writesIntoAFolderWhoseLastObjectIsBeingDeletedNeverFail() throws Exception {
    // deleting a folder's last object removes the folder; a write there at the same moment
    // must make it again rather than fail
    java.util.concurrent.atomic.AtomicReference<Throwable> failure =
        new java.util.concurrent.atomic.AtomicReference<>();
    Runnable churn = () -> {
      String me = Thread.currentThread().getName();
      try {
        for (int i = 0; i < 2000 && failure.get() == null; i++) {
          store.write("_spool/" + me + i, new byte[] {1});
          store.deletePrefix("_spool/" + me + i);
        }
      } catch (Throwable t) {
        failure.compareAndSet(null, t);
      }
    };
    Thread a = new Thread(churn, "a");
    Thread b = new Thread(churn, "b");
    a.start();
    b.start();
    a.join();
    b.join();

    assertThat(failure.get()).isNull();
    assertThat(store.list("_spool/")).isEmpty();
  }

  @Test
  void keysAreFilesUnderTheRoot() throws Exception {
    store.write("canal1/playlist.m3u8", bytes("#EXTM3U\n"));

    assertThat(root.resolve("canal1/playlist.m3u8")).hasContent("#EXTM3U");
    assertThat(store.open("canal1/playlist.m3u8").orElseThrow().localFile())
        .contains(root.resolve("canal1/playlist.m3u8"));
    try (var files = Files.list(root.resolve("canal1"))) {
      assertThat(files).as("no temporary file left behind").hasSize(1);
    }
  }

  @Test
  void symbolicLinksOutOfTheRootAreRefused() throws Exception {
    Path outside = Files.createTempDirectory(tempDir, "outside");
    Files.writeString(outside.resolve("secret.ts"), "secret");
    Files.createSymbolicLink(root.resolve("escape"), outside);
    Files.createSymbolicLink(root.resolve("link.ts"), outside.resolve("secret.ts"));

    assertThatThrownBy(() -> store.open("escape/secret.ts")).isInstanceOf(StorageException.class)
        .hasMessageContaining("symbolic link");
    assertThatThrownBy(() -> store.open("link.ts")).isInstanceOf(StorageException.class);
    assertThatThrownBy(() -> store.write("escape/new.ts", bytes("x")))
        .isInstanceOf(StorageException.class);
    assertThat(outside.resolve("new.ts")).doesNotExist();
    assertThat(store.list("")).extracting(o -> o.key()).doesNotContain("escape/secret.ts");
  }

  @Test
  void aFileOnTheSameFileSystemIsMovedIntoADraftNotCopied() throws Exception {
    Path segment = Files.writeString(tempDir.resolve("seg_00000.ts"), "segment");
    Object inode = Files.readAttributes(segment, BasicFileAttributes.class).fileKey();
    try (ChannelDraft draft = store.draft("canal1")) {
      draft.moveIn("360p/seg_00000.ts", segment);
      draft.publish(io.hlskit.core.channel.ChannelMetadata.builder("canal1").build());
    }
    Path published = root.resolve("canal1/360p/seg_00000.ts");
    assertThat(segment).doesNotExist();
    assertThat(published).hasContent("segment");
    assertThat(Files.readAttributes(published, BasicFileAttributes.class).fileKey())
        .as("the same inode: renamed").isEqualTo(inode);
  }

  @Test
  void dotSegmentsAreReservedForTheStore() {
    assertThatThrownBy(() -> store.write(".hlskit-drafts/x.ts", bytes("x")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("reserved");
    assertThatThrownBy(() -> store.open("canal1/.hidden"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void draftsLiveOutsideTheChannelsUntilPublished() {
    try (ChannelDraft draft = store.draft("canal1")) {
      draft.write("360p/seg_00000.ts", bytes("x"));
      assertThat(root.resolve("canal1")).doesNotExist();
      draft.publish(metadata("canal1"));
    }

    assertThat(root.resolve("canal1/360p/seg_00000.ts")).exists();
    assertThat(root.resolve("canal1/channel.json")).exists();
    assertThat(root.resolve(FileSystemMediaStore.DRAFTS)).isEmptyDirectory();
  }

  @Test
  void abandonedDraftsAreRemovedOnOpenButFreshOnesKept() throws Exception {
    Path drafts = root.resolve(FileSystemMediaStore.DRAFTS);
    Path stale = Files.createDirectories(drafts.resolve("canal1-stale"));
    Files.writeString(stale.resolve("seg.ts"), "x");
    FileTime old = FileTime.from(Instant.now().minus(7, ChronoUnit.HOURS));
    Files.setLastModifiedTime(stale.resolve("seg.ts"), old);
    Files.setLastModifiedTime(stale, old);
    Path fresh = Files.createDirectories(drafts.resolve("canal2-fresh"));

    FileSystemMediaStore.at(root).close();

    assertThat(stale).doesNotExist();
    assertThat(fresh).exists();
  }

  @Test
  void aSeedFolderDroppedInIsReadable() throws Exception {
    Files.createDirectories(root.resolve("canal1"));
    Files.writeString(root.resolve("canal1/playlist.m3u8"),
        "#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:10\n#EXTINF:10.0,\nplaylist0.ts\n");
    Files.write(root.resolve("canal1/playlist0.ts"), new byte[188]);

    assertThat(store.list("canal1/")).extracting(o -> o.key())
        .containsExactly("canal1/playlist.m3u8", "canal1/playlist0.ts");
  }
}

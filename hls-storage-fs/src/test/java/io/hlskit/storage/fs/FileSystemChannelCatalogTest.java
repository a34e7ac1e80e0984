package io.hlskit.storage.fs;

import static org.assertj.core.api.Assertions.assertThat;

import io.hlskit.core.channel.ChannelMetadata;
import io.hlskit.core.contract.ChannelCatalogContract;
import io.hlskit.core.contract.Eventually;
import io.hlskit.core.store.MediaStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileSystemChannelCatalogTest extends ChannelCatalogContract {
  @TempDir
  Path root;

  @Override
  protected MediaStore newStore() {
    return FileSystemMediaStore.builder(root).scanInterval(Duration.ofMillis(200)).build();
  }

  /** Another process's store on the same folder. */
  @Override
  protected MediaStore outside() {
    return FileSystemMediaStore.at(root);
  }

  @Test
  void aFolderCopiedInByHandIsListedAndFoldersThatAreNotChannelsAreNot() throws Exception {
    store.channels().list();
    Path seed = Files.createDirectories(root.resolve("canal2"));
    Files.writeString(seed.resolve("playlist0.ts"), "x");
    Files.writeString(seed.resolve("playlist.m3u8"), mediaPlaylist(10.0, 5.0));
    Files.createDirectories(root.resolve("Not A Channel"));
    Files.writeString(root.resolve("Not A Channel/playlist.m3u8"), mediaPlaylist(10.0));
    Files.createDirectories(root.resolve(".hidden"));
    Files.writeString(root.resolve(".hidden/playlist.m3u8"), mediaPlaylist(10.0));

    Eventually.await(WITHIN, "canal2 listed", () -> store.channels().get("canal2").isPresent());

    assertThat(store.channels().list()).extracting(ChannelMetadata::id)
        .containsExactly("canal2");
    assertThat(store.channels().get("canal2").orElseThrow().duration())
        .isEqualTo(Duration.ofSeconds(15));
  }
}

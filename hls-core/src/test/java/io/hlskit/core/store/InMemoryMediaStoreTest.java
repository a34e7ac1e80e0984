package io.hlskit.core.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.hlskit.core.contract.MediaStoreContract;

class InMemoryMediaStoreTest extends MediaStoreContract {
  @Override
  protected MediaStore newStore() {
    return new InMemoryMediaStore();
  }
}

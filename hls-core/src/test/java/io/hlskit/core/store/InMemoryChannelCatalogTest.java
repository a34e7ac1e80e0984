package io.hlskit.core.store;

import io.hlskit.core.contract.ChannelCatalogContract;

class InMemoryChannelCatalogTest extends ChannelCatalogContract {
  @Override
  protected MediaStore newStore() {
    return new InMemoryMediaStore();
  }

  /** Nothing else reaches the heap: "outside" changes are the store's own plain writes. */
  @Override
  protected MediaStore outside() {
    return store;
  }
}

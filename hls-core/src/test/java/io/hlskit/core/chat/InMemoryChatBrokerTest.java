package io.hlskit.core.chat;

import io.hlskit.core.contract.ChatBrokerContract;

class InMemoryChatBrokerTest extends ChatBrokerContract {
  @Override
  protected ChatBroker newBroker() {
    return new InMemoryChatBroker();
  }
}

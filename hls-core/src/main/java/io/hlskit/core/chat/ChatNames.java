package io.hlskit.core.chat;

import java.text.Normalizer;
import java.util.Locale;

/** How brokers tell chat names apart: two names are one when their folded forms are equal. */
public final class ChatNames {
  private ChatNames() {}

  /** {@code name} in NFKC and lower case: "Ana", "ANA" and "Ａｎａ" fold alike. */
  public static String fold(String name) {
    return Normalizer.normalize(name, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT);
  }
}

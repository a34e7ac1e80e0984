package io.hlskit.core.playlist;

import java.util.HashMap;
import java.util.Map;

/**
 * Every tag that hlskit models, with how it is read. The writer emits the same names through
 * {@link #name}; reading and writing of each tag's value share {@link AttributeList}, {@link
 * Decimals} and {@link ByteRanges}.
 */
enum Tag {
  EXTM3U("#EXTM3U", Scope.ANY, false) {
    @Override
    void read(ParseState s, String value) {
      s.duplicateHeader();
    }
  },
  VERSION("#EXT-X-VERSION", Scope.ANY, true) {
    @Override
    void read(ParseState s, String value) {
      s.version(value);
    }
  },
  INDEPENDENT_SEGMENTS("#EXT-X-INDEPENDENT-SEGMENTS", Scope.ANY, false) {
    @Override
    void read(ParseState s, String value) {
      s.independentSegments = true;
    }
  },
  START("#EXT-X-START", Scope.ANY, true) {
    @Override
    void read(ParseState s, String value) {
      s.start(value);
    }
  },
  // media playlist tags
  TARGETDURATION("#EXT-X-TARGETDURATION", Scope.MEDIA, true) {
    @Override
    void read(ParseState s, String value) {
      s.targetDuration(value);
    }
  },
  MEDIA_SEQUENCE("#EXT-X-MEDIA-SEQUENCE", Scope.MEDIA, true) {
    @Override
    void read(ParseState s, String value) {
      s.mediaSequence(value);
    }
  },
  DISCONTINUITY_SEQUENCE("#EXT-X-DISCONTINUITY-SEQUENCE", Scope.MEDIA, true) {
    @Override
    void read(ParseState s, String value) {
      s.discontinuitySequence(value);
    }
  },
  PLAYLIST_TYPE("#EXT-X-PLAYLIST-TYPE", Scope.MEDIA, true) {
    @Override
    void read(ParseState s, String value) {
      s.playlistType(value);
    }
  },
  ENDLIST("#EXT-X-ENDLIST", Scope.MEDIA, false) {
    @Override
    void read(ParseState s, String value) {
      s.endList = true;
    }
  },
  I_FRAMES_ONLY("#EXT-X-I-FRAMES-ONLY", Scope.MEDIA, false) {
    @Override
    void read(ParseState s, String value) {
      s.iFramesOnly = true;
    }
  },
  IMAGES_ONLY("#EXT-X-IMAGES-ONLY", Scope.MEDIA, false) {
    @Override
    void read(ParseState s, String value) {
      s.imagesOnly = true;
    }
  },
  // media segment tags
  EXTINF("#EXTINF", Scope.MEDIA, true) {
    @Override
    void read(ParseState s, String value) {
      s.extinf(value);
    }
  },
  BYTERANGE("#EXT-X-BYTERANGE", Scope.MEDIA, true) {
    @Override
    void read(ParseState s, String value) {
      s.byteRange(value);
    }
  },
  DISCONTINUITY("#EXT-X-DISCONTINUITY", Scope.MEDIA, false) {
    @Override
    void read(ParseState s, String value) {
      s.discontinuity();
    }
  },
  KEY("#EXT-X-KEY", Scope.MEDIA, true) {
    @Override
    void read(ParseState s, String value) {
      s.key(value);
    }
  },
  MAP("#EXT-X-MAP", Scope.MEDIA, true) {
    @Override
    void read(ParseState s, String value) {
      s.map(value);
    }
  },
  PROGRAM_DATE_TIME("#EXT-X-PROGRAM-DATE-TIME", Scope.MEDIA, true) {
    @Override
    void read(ParseState s, String value) {
      s.programDateTime(value);
    }
  },
  TILES("#EXT-X-TILES", Scope.MEDIA, true) {
    @Override
    void read(ParseState s, String value) {
      s.tiles(value);
    }
  },
  // low-latency tags (HLS 2nd edition)
  PART("#EXT-X-PART", Scope.MEDIA, true) {
    @Override
    void read(ParseState s, String value) {
      s.part(value);
    }
  },
  PART_INF("#EXT-X-PART-INF", Scope.MEDIA, true) {
    @Override
    void read(ParseState s, String value) {
      s.partInf(value);
    }
  },
  SERVER_CONTROL("#EXT-X-SERVER-CONTROL", Scope.MEDIA, true) {
    @Override
    void read(ParseState s, String value) {
      s.serverControl(value);
    }
  },
  SKIP("#EXT-X-SKIP", Scope.MEDIA, true) {
    @Override
    void read(ParseState s, String value) {
      s.skip(value);
    }
  },
  PRELOAD_HINT("#EXT-X-PRELOAD-HINT", Scope.MEDIA, true) {
    @Override
    void read(ParseState s, String value) {
      s.preloadHint(value);
    }
  },
  RENDITION_REPORT("#EXT-X-RENDITION-REPORT", Scope.MEDIA, true) {
    @Override
    void read(ParseState s, String value) {
      s.renditionReport(value);
    }
  },
  // multivariant playlist tags
  MEDIA("#EXT-X-MEDIA", Scope.MULTIVARIANT, true) {
    @Override
    void read(ParseState s, String value) {
      s.rendition(value);
    }
  },
  STREAM_INF("#EXT-X-STREAM-INF", Scope.MULTIVARIANT, true) {
    @Override
    void read(ParseState s, String value) {
      s.streamInf(value);
    }
  },
  I_FRAME_STREAM_INF("#EXT-X-I-FRAME-STREAM-INF", Scope.MULTIVARIANT, true) {
    @Override
    void read(ParseState s, String value) {
      s.iFrameStreamInf(value);
    }
  },
  IMAGE_STREAM_INF("#EXT-X-IMAGE-STREAM-INF", Scope.MULTIVARIANT, true) {
    @Override
    void read(ParseState s, String value) {
      s.imageStreamInf(value);
    }
  },
  SESSION_DATA("#EXT-X-SESSION-DATA", Scope.MULTIVARIANT, true) {
    @Override
    void read(ParseState s, String value) {
      s.sessionData(value);
    }
  };

  /** Which kind of playlist a tag belongs to; seeing it decides the kind. */
  enum Scope {
    ANY,
    MEDIA,
    MULTIVARIANT
  }

  private static final Map<String, Tag> BY_NAME = new HashMap<>();

  static {
    for (Tag t : values()) {
      BY_NAME.put(t.name, t);
    }
  }

  /** The tag as written, with its leading '#'. */
  final String name;
  final Scope scope;
  final boolean hasValue;

  Tag(String name, Scope scope, boolean hasValue) {
    this.name = name;
    this.scope = scope;
    this.hasValue = hasValue;
  }

  /** Reads this tag's value (null for a tag without one) into the parse state. */
  abstract void read(ParseState s, String value);

  static Tag byName(String name) {
    return BY_NAME.get(name);
  }
}

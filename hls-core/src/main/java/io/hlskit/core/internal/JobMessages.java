package io.hlskit.core.internal;

import io.hlskit.core.ingest.IngestRequest;
import java.util.regex.Pattern;

/** The error an ingest job shows: what went wrong, in words its uploader may read. */
public final class JobMessages {
  /** An absolute path, as a message may quote one: a slash after a space, quote or bracket. */
  private static final Pattern SERVER_PATH =
      Pattern.compile("(?<=^|[\\s'\"(\\[=])/[^\\s'\"(),;\\]]+");

  private JobMessages() {}

  /** The message of {@code e}, or its type when it has none. */
  public static String of(Throwable e) {
    return e.getMessage() == null || e.getMessage().isBlank()
        ? e.getClass().getSimpleName() : e.getMessage();
  }

  /**
   * A failure as whoever polls the job may read it: the spooled upload named by its original
   * name, and no other path of the server's (the full message goes to the log).
   */
  public static String forClients(String failure, IngestRequest request) {
    String named = failure.replace(request.file().toAbsolutePath().toString(),
        request.originalFilename().orElse("the upload"));
    named = named.replace(request.file().toString(),
        request.originalFilename().orElse("the upload"));
    return SERVER_PATH.matcher(named).replaceAll("(a folder of the server)");
  }
}

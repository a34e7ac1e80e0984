package io.hlskit.server.internal;

import io.hlskit.core.HlsException;
import io.hlskit.core.StorageKeys;
import io.hlskit.core.access.AccessPolicy;
import io.hlskit.core.channel.ChannelCatalog;
import io.hlskit.core.channel.Visibility;
import io.hlskit.core.ingest.IngestJob;
import io.hlskit.core.ingest.IngestRequest;
import io.hlskit.core.ingest.IngestService;
import io.hlskit.core.internal.Folders;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.handlers.form.FormData;
import io.undertow.server.handlers.form.FormDataParser;
import io.undertow.server.handlers.form.FormParserFactory;
import io.undertow.server.handlers.form.MultiPartParserDefinition;
import io.undertow.util.Headers;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Deque;
import java.util.Locale;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /api/channels}: an admin uploads a video, as the raw body or as {@code
 * multipart/form-data}; the file is streamed to disk within the size limit, sniffed, and handed
 * to the {@link IngestService}. Answers 202 with the job and its {@code Location}.
 */
public final class UploadHandler {
  private static final Logger LOG = LoggerFactory.getLogger(UploadHandler.class);
  /** As for drafts: far longer than any upload takes to arrive and wait for its turn. */
  static final Duration ABANDONED_UPLOAD_AGE = Duration.ofHours(6);

  /** The files this handler spools: {@code upload-<random>.bin}. */
  private static final String SPOOL_FILES = "upload-*.bin";

  private final IngestService ingest;
  private final ChannelCatalog catalog;
  private final AccessPolicy access;
  private final long maxBytes;
  private final Path uploads;

  /**
   * @param ingest where uploads go; null answers 503
   * @param access who may upload
   */
  public UploadHandler(IngestService ingest, ChannelCatalog catalog, AccessPolicy access,
      long maxBytes, Path uploads) {
    this.ingest = ingest;
    this.catalog = catalog;
    this.access = access;
    this.maxBytes = maxBytes;
    this.uploads = uploads;
    if (ingest != null) {
      // a spool only this user can enter: uploads are neither read nor planted by others
      Folders.privateFolder(uploads, "uploadDirectory", SPOOL_FILES);
    }
    removeAbandonedUploads();
  }

  /**
   * Spooled uploads that a server killed mid-upload or mid-queue left behind. Only old ones: the
   * folder may be shared by other instances whose uploads are still in their queues.
   */
  private void removeAbandonedUploads() {
    Folders.removeAbandoned(uploads, SPOOL_FILES, ABANDONED_UPLOAD_AGE, "upload");
  }

  /** Handles the upload; runs on a worker thread. */
  public void upload(HttpServerExchange exchange) throws IOException {
    if (ingest == null) {
      Responses.error(exchange, 503, "ingest_unavailable", "this server has no transcoder"
          + " wired in; uploads cannot be processed");
      return;
    }
    if (Responses.refused(exchange, access.mayUpload(ExchangeAccess.of(exchange)))) {
      return;
    }
    long declared = exchange.getRequestContentLength();
    if (declared > maxBytes) {
      Responses.error(exchange, 413, "too_large", "the upload is " + declared + " bytes; the"
          + " limit is " + maxBytes);
      return;
    }
    String type = Optional.ofNullable(exchange.getRequestHeaders().getFirst(Headers.CONTENT_TYPE))
        .orElse("").toLowerCase(Locale.ROOT);
    Folders.privateFolder(uploads, "uploadDirectory", SPOOL_FILES); // it may have been removed since
    Path file = Files.createTempFile(uploads, "upload-", ".bin"); // one of SPOOL_FILES
    boolean handedOver = false;
    try {
      Fields f = new Fields(param(exchange, "id"), param(exchange, "title"),
          param(exchange, "profile"), null, "true".equals(param(exchange, "replace")),
          param(exchange, "visibility"), param(exchange, "quality"));
      exchange.setMaxEntitySize(maxBytes);
      exchange.startBlocking();
      if (type.startsWith("multipart/form-data")) {
        f = readMultipart(exchange, file, f);
        if (f == null) {
          return;
        }
      } else if (type.startsWith("video/") || type.startsWith("audio/")
          || type.startsWith("application/octet-stream")) {
        if (!copyLimited(exchange.getInputStream(), file)) {
          Responses.error(exchange, 413, "too_large", "the upload is over the limit of "
              + maxBytes + " bytes");
          return;
        }
      } else {
        Responses.error(exchange, 415, "unsupported_media_type", "send the video as the body"
            + " (Content-Type video/*, audio/* or application/octet-stream) or as"
            + " multipart/form-data with a file field");
        return;
      }
      String problem = check(f);
      if (problem != null) {
        Responses.error(exchange, problem.startsWith("channel ") ? 409 : 400,
            problem.startsWith("channel ") ? "conflict" : "bad_request", problem);
        return;
      }
      if (Files.size(file) == 0 || MediaSniffer.container(file) == null) {
        Responses.error(exchange, 415, "not_media", "the upload is not a video or sound file (no"
            + " known container: MP4, MOV, MKV, WebM, TS, AVI, FLV, Ogg, M4A, MP3, AAC, FLAC,"
            + " WAV); check that you sent the right file");
        return;
      }
      IngestJob job = ingest.submit(new IngestRequest(file, f.id(),
          f.title() == null || f.title().isBlank() ? f.id() : f.title().strip(),
          f.profile() == null ? "medium" : f.profile(), Optional.ofNullable(f.filename()),
          f.visibilityOrPublic(), f.qualityOrBitrate()));
      handedOver = true;
      exchange.getResponseHeaders().put(Headers.LOCATION, "/api/jobs/" + job.id());
      Responses.json(exchange, 202, ApiHandler.job(job));
    } catch (HlsException e) {
      handedOver = true; // the service deleted it
      Responses.error(exchange, 503, "ingest_refused", e.getMessage());
    } catch (IOException e) {
      LOG.info("an upload failed while reading: {}", e.toString());
      Responses.error(exchange, 413, "upload_failed", "the upload could not be read completely"
          + " (over the limit of " + maxBytes + " bytes, or the connection dropped)");
    } finally {
      if (!handedOver) {
        Files.deleteIfExists(file);
      }
    }
  }

  private record Fields(String id, String title, String profile, String filename,
      boolean replace, String visibility, String quality) {
    Visibility visibilityOrPublic() {
      return visibility == null || visibility.isBlank() ? Visibility.PUBLIC
          : Visibility.parse(visibility.strip());
    }

    String qualityOrBitrate() {
      return quality == null || quality.isBlank() ? "bitrate"
          : quality.strip().toLowerCase(Locale.ROOT);
    }
  }

  private String check(Fields f) {
    if (f.id() == null || !StorageKeys.isValidChannelId(f.id())) {
      return "id must be a channel id: 1 to 64 lower-case letters, digits, '_' and '-'";
    }
    if (f.title() != null && f.title().length() > 200) {
      return "the title is longer than 200 characters";
    }
    if (f.visibility() != null && !f.visibility().isBlank()
        && !f.visibility().strip().equalsIgnoreCase("public")
        && !f.visibility().strip().equalsIgnoreCase("private")) {
      return "visibility must be 'public' or 'private'";
    }
    if (!IngestRequest.QUALITIES.contains(f.qualityOrBitrate())) {
      return "quality must be 'bitrate' (each rendition at its bit rate) or 'auto' (constant"
          + " quality, the bit rate as a ceiling)";
    }
    if (f.profile() != null && !ingest.profiles().isEmpty()
        && !ingest.profiles().contains(f.profile())) {
      return "unknown profile '" + f.profile() + "': use one of " + ingest.profiles();
    }
    if (!f.replace() && catalog.get(f.id()).isPresent()) {
      return "channel " + f.id() + " exists already; send replace=true to replace it, or choose"
          + " another id";
    }
    return null;
  }

  private Fields readMultipart(HttpServerExchange exchange, Path file, Fields query)
      throws IOException {
    MultiPartParserDefinition multipart = new MultiPartParserDefinition(uploads);
    multipart.setMaxIndividualFileSize(maxBytes);
    multipart.setDefaultEncoding(StandardCharsets.UTF_8.name());
    try (FormDataParser parser = FormParserFactory.builder(false).addParsers(multipart).build()
        .createParser(exchange)) {
      FormData form = parser.parseBlocking();
      FormData.FormValue upload = first(form, "file");
      if (upload == null || !upload.isFileItem()) {
        Responses.error(exchange, 400, "bad_request", "the form has no file field named 'file'");
        return null;
      }
      FormData.FileItem item = upload.getFileItem();
      if (item.isInMemory()) {
        try (InputStream in = item.getInputStream()) {
          Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
        }
      } else {
        Files.move(item.getFile(), file, StandardCopyOption.REPLACE_EXISTING);
      }
      return new Fields(value(form, "id", query.id()), value(form, "title", query.title()),
          value(form, "profile", query.profile()), upload.getFileName(),
          query.replace() || "true".equals(value(form, "replace", null)),
          value(form, "visibility", query.visibility()),
          value(form, "quality", query.quality()));
    }
  }

  private static FormData.FormValue first(FormData form, String name) {
    Deque<FormData.FormValue> values = form.get(name);
    return values == null || values.isEmpty() ? null : values.getFirst();
  }

  private static String value(FormData form, String name, String fallback) {
    FormData.FormValue v = first(form, name);
    return v == null || v.isFileItem() ? fallback : v.getValue();
  }

  private boolean copyLimited(InputStream in, Path file) throws IOException {
    long total = 0;
    byte[] buffer = new byte[64 * 1024];
    try (OutputStream out = Files.newOutputStream(file)) {
      int n;
      while ((n = in.read(buffer)) > 0) {
        total += n;
        if (total > maxBytes) {
          return false;
        }
        out.write(buffer, 0, n);
      }
    }
    return true;
  }

  private static String param(HttpServerExchange exchange, String name) {
    Deque<String> v = exchange.getQueryParameters().get(name);
    return v == null || v.isEmpty() ? null : v.getFirst();
  }
}

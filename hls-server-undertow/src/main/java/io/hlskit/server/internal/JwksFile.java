package io.hlskit.server.internal;

import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.text.ParseException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A JWK set in a local file, read again whenever the file changes (its time or size), so keys
 * rotate by rewriting the file. A file that becomes unreadable or invalid keeps the last good
 * set in use, with a warning. Thread-safe.
 */
public final class JwksFile implements JWKSource<SecurityContext> {
  private static final Logger LOG = LoggerFactory.getLogger(JwksFile.class);

  private record Loaded(JWKSet keys, long modified, long size) {}

  private final Path file;
  private volatile Loaded loaded;

  /**
   * Reads {@code file} now.
   *
   * @throws IllegalArgumentException when it cannot be read or is not a JWK set
   */
  public JwksFile(Path file) {
    this.file = file;
    try {
      this.loaded = load();
    } catch (IOException | ParseException e) {
      throw new IllegalArgumentException("the JWK set " + file + " could not be read: "
          + e.getMessage() + "; give a file holding {\"keys\":[...]}", e);
    }
  }

  @Override
  public List<JWK> get(JWKSelector selector, SecurityContext context)
      throws KeySourceException {
    Loaded current = loaded;
    try {
      BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
      if (a.lastModifiedTime().toMillis() != current.modified() || a.size() != current.size()) {
        synchronized (this) {
          if (loaded == current) {
            loaded = load();
            LOG.info("read the JWK set {} again: {} keys", file, loaded.keys().size());
          }
          current = loaded;
        }
      }
    } catch (IOException | ParseException e) {
      LOG.warn("the JWK set {} could not be read again, the last good one stays in use: {}",
          file, e.getMessage());
    }
    return selector.select(current.keys());
  }

  private Loaded load() throws IOException, ParseException {
    BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
    JWKSet keys = JWKSet.parse(Files.readString(file));
    return new Loaded(keys, a.lastModifiedTime().toMillis(), a.size());
  }
}

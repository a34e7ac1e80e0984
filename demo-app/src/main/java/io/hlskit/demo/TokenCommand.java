package io.hlskit.demo;

import io.hlskit.server.JwtTokens;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code token}: prints an HS256 JSON Web Token that a server started with the same {@code
 * --jwt-secret} accepts, for local use and scripts; real deployments take tokens from their
 * identity provider.
 */
@Command(name = "token", mixinStandardHelpOptions = true,
    description = "Print a JSON Web Token (HS256) for a server started with the same"
        + " --jwt-secret.")
final class TokenCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(names = "--secret", defaultValue = "${env:HLS_JWT_SECRET}",
      description = "the server's --jwt-secret (HLS_JWT_SECRET), at least 32 bytes")
  String secret;

  @Option(names = "--sub", defaultValue = "${env:HLS_TOKEN_SUB}",
      description = "the user id (sub; HLS_TOKEN_SUB); required")
  String subject;

  @Option(names = "--name", defaultValue = "${env:HLS_TOKEN_NAME}",
      description = "the name the user chats under (name; HLS_TOKEN_NAME)")
  String name;

  @Option(names = "--role", split = ",", defaultValue = "${env:HLS_TOKEN_ROLES}",
      description = "a role (roles; HLS_TOKEN_ROLES, comma-separated); admin may upload and"
          + " delete; repeat for several")
  List<String> roles;

  @Option(names = "--ttl", defaultValue = "${env:HLS_TOKEN_TTL:-1h}",
      description = "how long the token is valid: 90s, 30m, 12h, 7d (HLS_TOKEN_TTL; default"
          + " ${DEFAULT-VALUE})")
  String ttl;

  @Option(names = "--issuer", defaultValue = "${env:HLS_JWT_ISSUER}",
      description = "the iss claim (HLS_JWT_ISSUER)")
  String issuer;

  @Option(names = "--audience", defaultValue = "${env:HLS_JWT_AUDIENCE}",
      description = "the aud claim (HLS_JWT_AUDIENCE)")
  String audience;

  @Override
  public Integer call() {
    if (secret == null || secret.isBlank()) {
      throw new CommandLine.ParameterException(spec.commandLine(), "give --secret (or"
          + " HLS_JWT_SECRET): the secret the server was started with");
    }
    if (subject == null || subject.isBlank()) {
      throw new CommandLine.ParameterException(spec.commandLine(), "give --sub (or"
          + " HLS_TOKEN_SUB): the user id the token is for");
    }
    JwtTokens tokens = JwtTokens.hs256(secret).subject(subject).name(name).ttl(duration(ttl))
        .issuer(blankToNull(issuer)).audience(blankToNull(audience));
    if (roles != null) {
      roles.stream().map(String::strip).filter(r -> !r.isEmpty()).forEach(tokens::role);
    }
    spec.commandLine().getOut().println(tokens.sign());
    return 0;
  }

  private Duration duration(String text) {
    String t = text.strip().toLowerCase(Locale.ROOT);
    try {
      if (t.matches("\\d+[smhd]")) {
        long n = Long.parseLong(t.substring(0, t.length() - 1));
        return switch (t.charAt(t.length() - 1)) {
          case 's' -> Duration.ofSeconds(n);
          case 'm' -> Duration.ofMinutes(n);
          case 'h' -> Duration.ofHours(n);
          default -> Duration.ofDays(n);
        };
      }
      return Duration.parse(text.strip());
    } catch (NumberFormatException | DateTimeParseException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--ttl '" + text + "' is"
          + " not a duration: use 90s, 30m, 12h or 7d");
    }
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }
}

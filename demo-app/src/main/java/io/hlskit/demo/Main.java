package io.hlskit.demo;

import io.hlskit.core.HlsException;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine;

/**
 * The hlskit demo: an IPTV system assembled from the hlskit modules. {@code java -jar
 * hlskit-demo.jar serve} runs it on its embedded defaults.
 */
@Command(name = "hlskit-demo", mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "The hlskit IPTV demo: HLS channels in a vertical feed.",
    subcommands = {ServeCommand.class, WorkerCommand.class, ConvertCommand.class,
        LinearCommand.class, LiveCommand.class, TokenCommand.class})
public final class Main implements Runnable {

  public static void main(String[] args) {
    // Undertow logs through JBoss Logging: send it to SLF4J like everything else
    System.setProperty("org.jboss.logging.provider", "slf4j");
    // convert draws a progress bar on a terminal: only warnings may interrupt it (set before
    // the first logger exists; -Dorg.slf4j.simpleLogger.defaultLogLevel=info brings them back)
    if (args.length > 0 && (args[0].equals("convert") && System.console() != null
        || args[0].equals("token") || args[0].equals("linear"))
        && System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
      System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    }
    CommandLine cli = new CommandLine(new Main());
    cli.setExecutionExceptionHandler((e, command, parsed) -> {
      if (e instanceof HlsException || e instanceof IllegalArgumentException) {
        command.getErr().println("hlskit: " + withOptions(e.getMessage()));
        return 1;
      }
      throw e;
    });
    System.exit(cli.execute(args));
  }

  /** What the library's errors name by builder setting, in the demo's options. */
  private static final Map<String, String> OPTIONS = Map.of(
      "(bucket)", "(--s3-bucket or HLS_S3_BUCKET)",
      "(region)", "(--s3-region or HLS_S3_REGION)",
      "(endpoint)", "(--s3-endpoint or HLS_S3_ENDPOINT)",
      "the Redis URL given to the builder", "the Redis URL (--redis-url or HLS_REDIS_URL)",
      "the Redis URL given to attach()", "the Redis URL (--redis-url or HLS_REDIS_URL)",
      "the linear window must", "--linear-window (HLS_LINEAR_WINDOW) must");

  /** A library message with its builder settings named as the demo's options. */
  static String withOptions(String message) {
    String m = message == null ? "failed" : message;
    for (Map.Entry<String, String> e : OPTIONS.entrySet()) {
      m = m.replace(e.getKey(), e.getValue());
    }
    return m;
  }

  @Override
  public void run() {
    new CommandLine(this).usage(System.out);
  }

  /** The version from the jar's manifest. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = Main.class.getPackage().getImplementationVersion();
      return new String[] {"hlskit demo " + (v == null ? "(development build)" : v)};
    }
  }
}

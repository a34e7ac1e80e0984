package io.hlskit.demo;

import picocli.CommandLine.Command;
import picocli.CommandLine;

/**
 * The hlskit demo: the IPTV system of the seed project, assembled from the hlskit modules.
 * {@code java -jar hlskit-demo.jar serve} runs it on its embedded defaults.
 */
@Command(name = "hlskit-demo", mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "The hlskit IPTV demo: HLS channels in a vertical feed.",
    subcommands = {ServeCommand.class, ConvertCommand.class})
public final class Main implements Runnable {

  public static void main(String[] args) {
    // Undertow logs through JBoss Logging: send it to SLF4J like everything else
    System.setProperty("org.jboss.logging.provider", "slf4j");
    System.exit(new CommandLine(new Main()).execute(args));
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

package io.hlskit.demo.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Holds the README to the examples: each Java snippet in it is marked with the example file it
 * shows ({@code <!-- example: ServeFolder.java -->} on the line before the fence) and must be that
 * file, word for word, without its package line; every Java snippet has a mark, every example is
 * shown, and the hlskit version the README tells users to depend on is this build's. Edit the
 * example, run its test, then paste it into the README (the failure message shows what to paste).
 */
class ReadmeExamplesTest {
  private static final Pattern FENCE = Pattern.compile(
      "(?:<!-- example: (\\S+) -->\\n)?```(java|xml)\\n(.*?)```", Pattern.DOTALL);
  private static final Pattern HLSKIT_VERSION = Pattern.compile(
      "<groupId>io\\.hlskit</groupId>\\s*<artifactId>[^<]+</artifactId>\\s*"
          + "<version>([^<]+)</version>");

  private final Path readme = Path.of(System.getProperty("hlskit.readme"));
  private final Path examples = Path.of(System.getProperty("hlskit.examples"),
      "io/hlskit/demo/examples");

  record Snippet(String example, String language, String code) {}

  private List<Snippet> snippets() throws IOException {
    List<Snippet> found = new ArrayList<>();
    Matcher m = FENCE.matcher(Files.readString(readme).replace("\r\n", "\n"));
    while (m.find()) {
      found.add(new Snippet(m.group(1), m.group(2), m.group(3)));
    }
    return found;
  }

  /** What the README shows of an example: the file without its package line. */
  static String shown(String source) {
    return source.replace("\r\n", "\n").replaceFirst("\\Apackage [\\w.]+;\\n+", "");
  }

  @Test
  void everyJavaSnippetIsAnExampleWordForWord() throws IOException {
    List<Snippet> java = snippets().stream().filter(s -> s.language().equals("java")).toList();
    assertThat(java).as("Java snippets in %s", readme).isNotEmpty();
    for (Snippet s : java) {
      assertThat(s.example())
          .as("a Java snippet in the README without an <!-- example: File.java --> mark:%n%s",
              s.code())
          .isNotNull();
      Path file = examples.resolve(s.example());
      assertThat(file).as("the example the README names").exists();
      assertThat(s.code())
          .as("the README's copy of %s differs from the tested file; paste the file (without"
              + " its package line) into the README", s.example())
          .isEqualTo(shown(Files.readString(file)));
    }
  }

  @Test
  void everyExampleIsInTheReadme() throws IOException {
    List<String> shown = snippets().stream().map(Snippet::example).toList();
    try (Stream<Path> files = Files.list(examples)) {
      assertThat(files.map(f -> f.getFileName().toString())
          .filter(n -> n.endsWith(".java") && !n.endsWith("Test.java")).sorted())
          .as("examples that the README does not show")
          .isNotEmpty()
          .allSatisfy(name -> assertThat(shown).contains(name));
    }
  }

  @Test
  void theReadmeNamesThisVersion() throws IOException {
    List<String> versions = new ArrayList<>();
    for (Snippet s : snippets()) {
      Matcher m = HLSKIT_VERSION.matcher(s.code());
      while (m.find()) {
        versions.add(m.group(1));
      }
    }
    assertThat(versions).as("io.hlskit versions in the README's XML").isNotEmpty()
        .containsOnly(System.getProperty("hlskit.version"));
  }
}

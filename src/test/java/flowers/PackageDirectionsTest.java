package flowers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The package layering (README "Layout of the code"), checked on the sources: a package uses only
 * those below it, and the run report renders what it is handed, so it loads no model.
 */
class PackageDirectionsTest {
  /** Top to bottom. */
  static final List<String> LAYERS = List.of("cli", "bench", "report", "train", "serve", "eval", "runlog",
      "checkpoint", "data", "model", "cluster", "tf", "json");

  /** Below, yet not to be used: what the rank alone would allow. */
  static final Set<String> BARRED = Set.of("report -> train", "report -> serve");

  private static final Pattern PACKAGE = Pattern.compile("^package flowers\\.([a-z]+)\\s*;", Pattern.MULTILINE);
  private static final Pattern REFERENCE = Pattern.compile("\\bflowers\\.([a-z]+)\\.(?:[A-Z*])");
  private static final Pattern COMMENT = Pattern.compile("//[^\\n]*|/\\*.*?\\*/", Pattern.DOTALL);

  @Test
  void everyPackageUsesOnlyThoseBelowIt() throws IOException {
    Path root = Path.of("src/main/java/flowers");
    List<String> wrong = new ArrayList<>();
    Set<String> seen = new TreeSet<>();
    try (Stream<Path> files = Files.walk(root)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
        for (String edge : violations(Files.readString(f), seen)) {
          wrong.add(root.relativize(f) + ": " + edge);
        }
      }
    }
    assertTrue(wrong.isEmpty(), "uses against the layering:\n" + String.join("\n", wrong));
    assertTrue(seen.containsAll(List.of("cli", "train", "eval", "report", "runlog", "model", "data", "checkpoint", "tf")),
        "the scan found the packages: " + seen);
  }

  @Test
  void theCheckFailsOnAForbiddenImport() {
    assertEquals(List.of("model -> train"),
        violations("package flowers.model;\nimport flowers.train.Trainer;\nimport flowers.tf.Tensors;\n", new TreeSet<>()));
    assertEquals(List.of("report -> serve"),
        violations("package flowers.report;\nclass R { Object c = flowers.serve.Classifier.load(null); }\n", new TreeSet<>()));
    assertEquals(List.of("eval -> train"), violations("package flowers.eval;\nimport flowers.train.*;\n", new TreeSet<>()));
    assertEquals(List.of(), violations("package flowers.data;\n/** Not a use: {@link flowers.train.Trainer}. */\n"
        + "// flowers.cli.Main either\nclass D {}\n", new TreeSet<>()), "comments are not uses");
  }

  /** The uses of {@code source} that go up, sideways, or to a barred package, as {@code from -> to}. */
  static List<String> violations(String source, Set<String> seen) {
    String code = COMMENT.matcher(source).replaceAll(" ");
    Matcher p = PACKAGE.matcher(code);
    if (!p.find()) {
      return List.of();
    }
    String from = p.group(1);
    seen.add(from);
    Set<String> wrong = new TreeSet<>();
    Matcher m = REFERENCE.matcher(code);
    while (m.find()) {
      String to = m.group(1);
      if (to.equals(from)) {
        continue;
      }
      int a = LAYERS.indexOf(from);
      int b = LAYERS.indexOf(to);
      String edge = from + " -> " + to;
      if (a < 0 || b < 0 || b <= a || BARRED.contains(edge)) {
        wrong.add(edge);
      }
    }
    return new ArrayList<>(wrong);
  }
}

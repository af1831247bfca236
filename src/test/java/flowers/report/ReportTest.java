package flowers.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import flowers.eval.Misclassified;
import flowers.testing.EasyImages;
import flowers.runlog.History;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportTest {
  @TempDir Path dir;

  @Test
  void theReportHasEveryChartAndOnlyLinksFilesThatExist() throws IOException {
    List<String> names = List.of("aster", "bluebell", "crocus", "daisy", "erica");
    List<History.StepPoint> steps = new ArrayList<>();
    for (int s = 1; s <= 60; s++) {
      steps.add(new History.StepPoint(s, (s - 1) / 20, 3.0 * Math.exp(-s / 20.0), Math.min(1, s / 50.0), 1e-3));
    }
    List<History.EpochPoint> epochs = List.of(new History.EpochPoint(0, 20, 2.0, 0.4, 0.5, 0.9, 1.5),
        new History.EpochPoint(1, 40, 1.0, 0.7, 0.7, 1.0, 0.9), new History.EpochPoint(2, 60, 0.5, 0.9, 0.8, 1.0, 0.6));
    long[][] confusion = {{5, 1, 0, 0, 0}, {0, 6, 0, 0, 0}, {1, 0, 4, 1, 0}, {0, 0, 0, 6, 0}, {0, 0, 2, 0, 4}};
    List<Misclassified> worst = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      Path img = dir.resolve("img" + i + ".png");
      ImageIO.write(EasyImages.image(i, 50, new Random(i)), "png", img.toFile());
      worst.add(new Misclassified(img, i, (i + 1) % 5, 0.9f - i * 0.1f));
    }
    // Two images at confidence 0.9 (one right), one at 0.35 (right): two bins of the diagram.
    var reliability = flowers.eval.Calibration.reliability(
        new float[] {0.9f, 0.1f, 0.1f, 0.9f, 0.35f, 0.65f}, new int[] {0, 0, 1}, 2);
    Path html = RunReport.write(dir.resolve("report"),
        new ReportData("test run", names, steps, epochs, confusion, worst, Map.of("batch size", "16"), reliability));
    List<String> sources = imageSources(html);
    assertEquals(List.of("loss.png", "accuracy.png", "learning_rate.png", "confusion.png", "per_class.png",
        "reliability.png", "mistakes/mistake_00.png", "mistakes/mistake_01.png", "mistakes/mistake_02.png"), sources);
    String page = Files.readString(html);
    assertTrue(page.contains("<th>batch size</th><td>16</td>"), "the settings table");
    assertTrue(page.contains("aster → <b>bluebell</b> (0.90)"), "captions name true and predicted class");
    for (String src : sources) {
      Path png = html.getParent().resolve(src);
      assertTrue(Files.isRegularFile(png), src);
      BufferedImage img = ImageIO.read(png.toFile());
      assertNotNull(img, src);
      if (src.startsWith("mistakes/")) {
        assertEquals(RunReport.THUMB, Math.max(img.getWidth(), img.getHeight()), src);
      } else if (!src.equals("confusion.png")) {
        assertEquals(Charts.WIDTH, img.getWidth(), src);
        assertEquals(Charts.HEIGHT, img.getHeight(), src);
      }
    }
  }

  @Test
  void aReportWithOnlyStepsStillWorks() throws IOException {
    Path html = RunReport.write(dir.resolve("r2"), new ReportData("early", List.of("a", "b"),
        List.of(new History.StepPoint(1, 0, 1.0, 0.5, 1e-3), new History.StepPoint(2, 0, 0.9, 0.5, 1e-3)),
        List.of(), null, List.of(), Map.of()));
    assertEquals(List.of("loss.png", "learning_rate.png"), imageSources(html));
  }

  @Test
  void oddInputIsLeftOutNeverACrash() throws IOException {
    List<History.StepPoint> steps = List.of(new History.StepPoint(1, 0, Double.NaN, Double.NaN, 0),
        new History.StepPoint(2, 0, 2.0, 0.1, 0), new History.StepPoint(3, 0, Double.POSITIVE_INFINITY, 0.1, 0));
    List<History.EpochPoint> epochs = List.of(new History.EpochPoint(0, 3, 2.0, 0.1, Double.NaN, Double.NaN, Double.NaN));
    Path jpg = dir.resolve("wide.jpg");
    ImageIO.write(EasyImages.image(0, 60, new Random(0)).getSubimage(0, 0, 60, 30), "jpg", jpg.toFile());
    List<Misclassified> worst = List.of(new Misclassified(jpg, 7, 0, 0.5f), // class 7 of 2
        new Misclassified(dir.resolve("gone.jpg"), 0, 1, 0.4f));
    long[][] notSquare = {{1, 2}, {3}};
    Path html = RunReport.write(dir.resolve("odd"), new ReportData(null, List.of("a", "b"), steps, epochs, notSquare,
        worst, null));
    assertEquals(List.of("loss.png", "accuracy.png", "learning_rate.png", "mistakes/mistake_00.png"), imageSources(html));
    BufferedImage thumb = ImageIO.read(html.resolveSibling("mistakes/mistake_00.png").toFile());
    assertEquals(RunReport.THUMB, thumb.getWidth());
    assertEquals(RunReport.THUMB / 2, thumb.getHeight(), "thumbnails keep the photo's proportions");
    assertTrue(Files.readString(html).contains("class 7 → <b>a</b>"));

    // A confusion matrix whose size disagrees with the class list still draws, with numbered classes.
    Path nothing = RunReport.write(dir.resolve("empty"), new ReportData("t", null, null, null, new long[][] {{3}}, null, null));
    assertEquals(List.of("confusion.png", "per_class.png"), imageSources(nothing));
  }

  static List<String> imageSources(Path html) throws IOException {
    Matcher m = Pattern.compile("<img src=\"([^\"]+)\"").matcher(Files.readString(html));
    List<String> out = new ArrayList<>();
    while (m.find()) {
      out.add(m.group(1));
    }
    return out;
  }
}

package flowers.report;

import flowers.eval.Misclassified;
import java.awt.Graphics2D;
import java.awt.Image;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.IntStream;
import javax.imageio.ImageIO;

/**
 * A self-contained HTML page with PNG charts beside it: curves, learning rate, confusion heat map,
 * per-class recall and the most confident mistakes. Open {@code report.html} in any browser; the
 * folder can be copied or zipped as a whole, since every link is relative.
 */
public final class RunReport {
  private RunReport() {}

  public static final String HTML = "report.html";
  /** The longer side of a mistake's thumbnail, in pixels. */
  static final int THUMB = 160;

  /** A chart drawer; the interface only exists so that one broken chart cannot sink the report. */
  private interface Drawing {
    void draw(Path png) throws IOException;
  }

  public static Path write(Path dir, ReportData data) throws IOException {
    System.setProperty("java.awt.headless", "true"); // reports are written on servers without a display
    Files.createDirectories(dir);
    StringBuilder body = new StringBuilder();
    body.append("<h1>").append(esc(data.title())).append("</h1>\n");
    if (!data.settings().isEmpty()) {
      body.append("<table class=settings>\n");
      for (Map.Entry<String, String> e : data.settings().entrySet()) {
        body.append("<tr><th>").append(esc(e.getKey())).append("</th><td>").append(esc(e.getValue())).append("</td></tr>\n");
      }
      body.append("</table>\n");
    }
    if (!data.steps().isEmpty()) {
      body.append("<h2>Training</h2>\n");
      chart(body, dir, "loss.png", "Training loss per step (light: raw, dark: smoothed) and validation loss per epoch",
          png -> Charts.loss(png, data.steps(), data.epochs()));
    }
    if (!data.epochs().isEmpty()) {
      if (data.steps().isEmpty()) {
        body.append("<h2>Training</h2>\n");
      }
      chart(body, dir, "accuracy.png", "Top-1 accuracy per epoch: train and validation",
          png -> Charts.accuracy(png, data.epochs()));
    }
    if (!data.steps().isEmpty()) {
      chart(body, dir, "learning_rate.png", "Learning rate fed at each step",
          png -> Charts.learningRate(png, data.steps()));
    }
    List<String> names = confusionNames(data);
    if (names != null) {
      body.append("<h2>Validation</h2>\n");
      chart(body, dir, "confusion.png", "Confusion matrix: rows are the true class, columns the prediction",
          png -> Charts.confusion(png, names, data.confusion()));
      chart(body, dir, "per_class.png", "Share of each class's images classified correctly",
          png -> Charts.perClassRecall(png, names, data.confusion()));
    }
    if (data.reliability() != null) {
      chart(body, dir, "reliability.png",
          "Reliability of the (calibrated) probabilities: per confidence bin, the share classified right",
          png -> Charts.reliability(png, data.reliability()));
    }
    mistakes(body, dir, data);
    String html = """
        <!doctype html>
        <html><head><meta charset="utf-8"><title>%s</title>
        <style>
        body { font-family: system-ui, sans-serif; max-width: 860px; margin: 2em auto; padding: 0 1em; color: #222; }
        h2 { border-bottom: 1px solid #ddd; padding-bottom: 4px; margin-top: 1.8em; }
        table.settings { border-collapse: collapse; margin-bottom: 1.5em; }
        table.settings th, table.settings td { text-align: left; padding: 3px 14px 3px 0; border-bottom: 1px solid #eee; }
        table.settings th { color: #555; font-weight: normal; }
        img { max-width: 100%%; height: auto; }
        figure { margin: 1em 0 1.8em; } figcaption { color: #555; font-size: 0.9em; }
        .grid { display: flex; flex-wrap: wrap; gap: 12px; }
        .grid figure { margin: 0; width: %dpx; } .grid img { border: 1px solid #ccc; }
        .note { color: #a33; }
        </style></head><body>
        %s</body></html>
        """.formatted(esc(data.title()), THUMB, body);
    Path file = dir.resolve(HTML);
    Files.writeString(file, html, StandardCharsets.UTF_8);
    return file;
  }

  /** Draws one chart and links it, or says in the page why it is missing: a report is never lost to one chart. */
  private static void chart(StringBuilder body, Path dir, String png, String caption, Drawing drawing) {
    Path file = dir.resolve(png);
    try {
      drawing.draw(file);
      body.append("<figure><img src=\"").append(png).append("\" alt=\"").append(esc(caption)).append("\"><figcaption>")
          .append(esc(caption)).append("</figcaption></figure>\n");
    } catch (IOException | RuntimeException e) {
      try {
        Files.deleteIfExists(file);
      } catch (IOException ignored) {
        // the page does not link it either way
      }
      body.append("<p class=note>").append(esc(png)).append(" could not be drawn: ").append(esc(String.valueOf(e)))
          .append("</p>\n");
    }
  }

  /** The axis labels of the confusion matrix, or null when there is no usable (square) matrix. */
  private static List<String> confusionNames(ReportData data) {
    long[][] m = data.confusion();
    if (m == null || m.length == 0 || java.util.Arrays.stream(m).anyMatch(row -> row == null || row.length != m.length)) {
      return null;
    }
    return data.classNames().size() == m.length ? data.classNames()
        : IntStream.range(0, m.length).mapToObj(RunReport::fallbackName).toList();
  }

  private static void mistakes(StringBuilder body, Path dir, ReportData data) throws IOException {
    if (data.misclassified().isEmpty()) {
      return;
    }
    body.append("<h2>Most confident mistakes</h2>\n<div class=grid>\n");
    Path thumbs = dir.resolve("mistakes");
    Files.createDirectories(thumbs);
    int i = 0;
    for (Misclassified m : data.misclassified()) {
      String name = String.format("mistake_%02d.png", i++);
      BufferedImage t = thumbnail(m.path(), thumbs.resolve(name));
      if (t == null) {
        continue; // moved or unreadable since the evaluation: leave it out rather than show a broken image
      }
      String caption = className(data, m.trueClass()) + " → " + className(data, m.predictedClass()) + " ("
          + String.format(Locale.ROOT, "%.2f", m.probability()) + ")";
      body.append("<figure><img src=\"mistakes/").append(name).append("\" width=").append(t.getWidth())
          .append(" height=").append(t.getHeight()).append(" alt=\"").append(esc(caption)).append("\" title=\"")
          .append(esc(String.valueOf(m.path().getFileName()))).append("\"><figcaption>")
          .append(esc(className(data, m.trueClass()))).append(" → <b>").append(esc(className(data, m.predictedClass())))
          .append("</b> (").append(String.format(Locale.ROOT, "%.2f", m.probability())).append(")</figcaption></figure>\n");
    }
    body.append("</div>\n");
  }

  private static String className(ReportData data, int k) {
    return k >= 0 && k < data.classNames().size() ? data.classNames().get(k) : fallbackName(k);
  }

  private static String fallbackName(int k) {
    return "class " + k;
  }

  /**
   * A PNG copy of an image whose longer side is {@link #THUMB}, keeping its proportions so a flower
   * looks like itself; null if the original can no longer be read by Java.
   */
  private static BufferedImage thumbnail(Path source, Path target) {
    try {
      BufferedImage src = source == null ? null : ImageIO.read(source.toFile());
      if (src == null) {
        return null;
      }
      double scale = THUMB / (double) Math.max(src.getWidth(), src.getHeight());
      int w = Math.max(1, (int) Math.round(src.getWidth() * scale));
      int h = Math.max(1, (int) Math.round(src.getHeight() * scale));
      BufferedImage t = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
      Graphics2D g = t.createGraphics();
      // Area averaging: one bilinear step from a 3000 px photo to 160 px would alias into noise.
      g.drawImage(src.getScaledInstance(w, h, Image.SCALE_AREA_AVERAGING), 0, 0, null);
      g.dispose();
      return ImageIO.write(t, "png", target.toFile()) ? t : null;
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  static String esc(String s) {
    return s == null ? "" : s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}

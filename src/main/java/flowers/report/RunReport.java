package flowers.report;

import flowers.eval.Misclassified;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import javax.imageio.ImageIO;

/**
 * A self-contained HTML page with PNG charts beside it: curves, learning rate, confusion heat map,
 * per-class recall and the most confident mistakes. Open {@code report.html} in any browser.
 */
public final class RunReport {
  private RunReport() {}

  public static final String HTML = "report.html";
  static final int THUMB = 128;

  public static Path write(Path dir, ReportData data) throws IOException {
    System.setProperty("java.awt.headless", "true");
    Files.createDirectories(dir);
    StringBuilder body = new StringBuilder();
    body.append("<h1>").append(esc(data.title())).append("</h1>\n");
    if (data.settings() != null && !data.settings().isEmpty()) {
      body.append("<table class=settings>\n");
      for (Map.Entry<String, String> e : data.settings().entrySet()) {
        body.append("<tr><th>").append(esc(e.getKey())).append("</th><td>").append(esc(e.getValue())).append("</td></tr>\n");
      }
      body.append("</table>\n");
    }
    if (!data.steps().isEmpty()) {
      Charts.loss(dir.resolve("loss.png"), data.steps(), data.epochs());
      body.append(figure("loss.png", "Training loss per step (smoothed) and validation loss per epoch"));
      Charts.learningRate(dir.resolve("learning_rate.png"), data.steps());
      body.append(figure("learning_rate.png", "Learning rate fed at each step"));
    }
    if (!data.epochs().isEmpty()) {
      Charts.accuracy(dir.resolve("accuracy.png"), data.epochs());
      body.append(figure("accuracy.png", "Top-1 accuracy per epoch"));
    }
    if (data.confusion() != null) {
      Charts.confusion(dir.resolve("confusion.png"), data.classNames(), data.confusion());
      body.append(figure("confusion.png", "Confusion matrix"));
      Charts.perClassRecall(dir.resolve("per_class.png"), data.classNames(), data.confusion());
      body.append(figure("per_class.png", "Recall of each class"));
    }
    if (data.misclassified() != null && !data.misclassified().isEmpty()) {
      body.append("<h2>Most confident mistakes</h2>\n<div class=grid>\n");
      Path thumbs = dir.resolve("mistakes");
      Files.createDirectories(thumbs);
      int i = 0;
      for (Misclassified m : data.misclassified()) {
        String name = String.format("mistake_%02d.png", i++);
        if (!thumbnail(m.path(), thumbs.resolve(name))) {
          continue;
        }
        body.append("<figure><img src=\"mistakes/").append(name).append("\" width=").append(THUMB).append("><figcaption>")
            .append(esc(data.classNames().get(m.trueClass()))).append(" → <b>")
            .append(esc(data.classNames().get(m.predictedClass()))).append("</b> (")
            .append(String.format(Locale.ROOT, "%.2f", m.probability())).append(")</figcaption></figure>\n");
      }
      body.append("</div>\n");
    }
    String html = """
        <!doctype html>
        <html><head><meta charset="utf-8"><title>%s</title>
        <style>
        body { font-family: system-ui, sans-serif; max-width: 900px; margin: 2em auto; color: #222; }
        table.settings { border-collapse: collapse; margin-bottom: 1.5em; }
        table.settings th { text-align: left; padding: 2px 12px 2px 0; color: #555; font-weight: normal; }
        figure { margin: 1em 0; } figcaption { color: #555; font-size: 0.9em; }
        .grid { display: flex; flex-wrap: wrap; gap: 10px; } .grid figure { margin: 0; width: %dpx; }
        </style></head><body>
        %s</body></html>
        """.formatted(esc(data.title()), THUMB, body);
    Path file = dir.resolve(HTML);
    Files.writeString(file, html, StandardCharsets.UTF_8);
    return file;
  }

  private static String figure(String png, String caption) {
    return "<figure><img src=\"" + png + "\" width=" + Charts.WIDTH + "><figcaption>" + esc(caption) + "</figcaption></figure>\n";
  }

  /** A small PNG copy of an image; false if the original can no longer be read by Java. */
  private static boolean thumbnail(Path source, Path target) {
    try {
      BufferedImage src = ImageIO.read(source.toFile());
      if (src == null) {
        return false;
      }
      BufferedImage t = new BufferedImage(THUMB, THUMB, BufferedImage.TYPE_INT_RGB);
      Graphics2D g = t.createGraphics();
      g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
      g.drawImage(src, 0, 0, THUMB, THUMB, null);
      g.dispose();
      return ImageIO.write(t, "png", target.toFile());
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  static String esc(String s) {
    return s == null ? "" : s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}

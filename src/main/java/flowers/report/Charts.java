package flowers.report;

import flowers.train.History;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** The report's PNG charts: XChart for curves and bars, Java2D for the confusion heat map. */
final class Charts {
  private Charts() {}

  static final int WIDTH = 800;
  static final int HEIGHT = 500;

  static void loss(Path file, List<History.StepPoint> steps, List<History.EpochPoint> epochs) throws IOException {
    XYChart c = xy("Loss", "step", "cross-entropy");
    if (!steps.isEmpty()) {
      double[] x = steps.stream().mapToDouble(History.StepPoint::step).toArray();
      double[] y = steps.stream().mapToDouble(History.StepPoint::loss).toArray();
      line(c, "train (per step)", x, y).setLineColor(new Color(180, 200, 230));
      line(c, "train (smoothed)", x, smooth(y, 0.95)).setLineColor(new Color(30, 90, 180));
    }
    List<History.EpochPoint> val = epochs.stream().filter(e -> !Double.isNaN(e.valLoss())).toList();
    if (!val.isEmpty()) {
      XYSeries s = c.addSeries("validation (per epoch)", val.stream().mapToDouble(History.EpochPoint::step).toArray(),
          val.stream().mapToDouble(History.EpochPoint::valLoss).toArray());
      s.setMarker(SeriesMarkers.CIRCLE);
      s.setLineColor(new Color(220, 90, 30));
      s.setMarkerColor(new Color(220, 90, 30));
    }
    BitmapEncoder.saveBitmap(c, file.toString(), BitmapEncoder.BitmapFormat.PNG);
  }

  static void accuracy(Path file, List<History.EpochPoint> epochs) throws IOException {
    XYChart c = xy("Top-1 accuracy per epoch", "epoch", "top-1");
    double[] x = epochs.stream().mapToDouble(e -> e.epoch() + 1).toArray();
    line(c, "train", x, epochs.stream().mapToDouble(History.EpochPoint::trainAccuracy).toArray())
        .setMarker(SeriesMarkers.CIRCLE);
    List<History.EpochPoint> val = epochs.stream().filter(e -> !Double.isNaN(e.valTop1())).toList();
    if (!val.isEmpty()) {
      line(c, "validation", val.stream().mapToDouble(e -> e.epoch() + 1).toArray(),
          val.stream().mapToDouble(History.EpochPoint::valTop1).toArray()).setMarker(SeriesMarkers.DIAMOND);
    }
    c.getStyler().setYAxisMin(0.0);
    c.getStyler().setYAxisMax(1.0);
    c.getStyler().setLegendPosition(Styler.LegendPosition.InsideSE); // accuracy rises: keep the corner it ends in free
    BitmapEncoder.saveBitmap(c, file.toString(), BitmapEncoder.BitmapFormat.PNG);
  }

  static void learningRate(Path file, List<History.StepPoint> steps) throws IOException {
    XYChart c = xy("Learning rate", "step", "learning rate");
    line(c, "learning rate", steps.stream().mapToDouble(History.StepPoint::step).toArray(),
        steps.stream().mapToDouble(History.StepPoint::learningRate).toArray());
    c.getStyler().setLegendVisible(false);
    BitmapEncoder.saveBitmap(c, file.toString(), BitmapEncoder.BitmapFormat.PNG);
  }

  static void perClassRecall(Path file, List<String> names, long[][] confusion) throws IOException {
    CategoryChart c = new CategoryChartBuilder().width(WIDTH).height(HEIGHT).title("Per-class recall")
        .xAxisTitle("class").yAxisTitle("recall").build();
    var style = c.getStyler();
    style.setLegendVisible(false);
    style.setXAxisLabelRotation(60);
    style.setYAxisMin(0.0);
    style.setYAxisMax(1.0);
    style.setChartBackgroundColor(Color.WHITE);
    double[] recall = new double[names.size()];
    for (int k = 0; k < names.size(); k++) {
      long support = 0;
      for (long v : confusion[k]) {
        support += v;
      }
      recall[k] = support == 0 ? 0 : confusion[k][k] / (double) support;
    }
    c.addSeries("recall", names, java.util.Arrays.stream(recall).boxed().toList());
    BitmapEncoder.saveBitmap(c, file.toString(), BitmapEncoder.BitmapFormat.PNG);
  }

  /** Rows = true class, columns = predicted; darker = more images, counts written in the cells. */
  static void confusion(Path file, List<String> names, long[][] m) throws IOException {
    int n = names.size();
    int label = 130;
    int cell = Math.max(18, Math.min(40, (WIDTH - label) / Math.max(1, n)));
    int w = label + n * cell + 20;
    int h = label + n * cell + 40;
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, w, h);
    long max = 1;
    for (long[] row : m) {
      for (long v : row) {
        max = Math.max(max, v);
      }
    }
    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
    g.setColor(Color.BLACK);
    g.drawString("Confusion matrix (rows: true, columns: predicted)", 10, 20);
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, Math.min(12, cell / 2 + 2)));
    for (int i = 0; i < n; i++) {
      g.setColor(Color.BLACK);
      g.drawString(names.get(i), 5, label + i * cell + cell / 2 + 4);
      Graphics2D r = (Graphics2D) g.create();
      r.translate(label + i * cell + cell / 2 + 4, label - 5);
      r.rotate(-Math.PI / 2);
      r.drawString(names.get(i), 0, 0);
      r.dispose();
      for (int j = 0; j < n; j++) {
        double f = m[i][j] / (double) max;
        Color c = i == j ? blend(new Color(235, 245, 235), new Color(20, 110, 40), f)
            : blend(new Color(250, 245, 240), new Color(200, 50, 30), f);
        g.setColor(m[i][j] == 0 ? new Color(248, 248, 248) : c);
        g.fillRect(label + j * cell, label + i * cell, cell - 1, cell - 1);
        if (m[i][j] > 0) {
          g.setColor(f > 0.5 ? Color.WHITE : Color.BLACK);
          String s = Long.toString(m[i][j]);
          g.drawString(s, label + j * cell + (cell - g.getFontMetrics().stringWidth(s)) / 2, label + i * cell + cell / 2 + 4);
        }
      }
    }
    g.setColor(Color.GRAY);
    g.setStroke(new BasicStroke(1));
    g.drawRect(label - 1, label - 1, n * cell, n * cell);
    g.dispose();
    ImageIO.write(img, "png", file.toFile());
  }

  private static Color blend(Color a, Color b, double f) {
    return new Color((int) (a.getRed() + (b.getRed() - a.getRed()) * f), (int) (a.getGreen() + (b.getGreen() - a.getGreen()) * f),
        (int) (a.getBlue() + (b.getBlue() - a.getBlue()) * f));
  }

  private static XYChart xy(String title, String x, String y) {
    XYChart c = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle(x).yAxisTitle(y).build();
    var style = c.getStyler();
    style.setLegendPosition(Styler.LegendPosition.InsideNE);
    style.setMarkerSize(5);
    style.setChartBackgroundColor(Color.WHITE);
    style.setPlotGridLinesColor(new Color(225, 225, 225));
    return c;
  }

  private static XYSeries line(XYChart c, String name, double[] x, double[] y) {
    XYSeries s = c.addSeries(name, x, y);
    s.setMarker(SeriesMarkers.NONE);
    return s;
  }

  /** Exponential moving average, the same smoothing TensorBoard's slider applies. */
  static double[] smooth(double[] y, double weight) {
    double[] out = new double[y.length];
    double last = y.length == 0 ? 0 : y[0];
    for (int i = 0; i < y.length; i++) {
      last = last * weight + (1 - weight) * y[i];
      out[i] = last;
    }
    return out;
  }
}

package flowers.report;

import flowers.runlog.History;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
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

  private static final Color TRAIN = new Color(30, 90, 180);
  private static final Color TRAIN_RAW = new Color(185, 205, 235);
  private static final Color VAL = new Color(220, 90, 30);

  static void loss(Path file, List<History.StepPoint> steps, List<History.EpochPoint> epochs) throws IOException {
    XYChart c = xy("Loss", "step", "cross-entropy loss");
    double top = 0;
    if (!steps.isEmpty()) {
      double[] x = steps.stream().mapToDouble(History.StepPoint::step).toArray();
      double[] y = steps.stream().mapToDouble(History.StepPoint::loss).toArray();
      // TensorBoard's default 0.95 (a ~20-step window), narrowed for short runs so the curve can keep up.
      double[] s = smooth(y, Math.max(0, Math.min(0.95, 1 - 10.0 / y.length)));
      line(c, "train (per step)", x, y).setLineColor(TRAIN_RAW);
      line(c, "train (smoothed)", x, s).setLineColor(TRAIN);
      // One early spike would flatten the whole curve: scale to the 95th percentile and the smoothed curve, not the maximum.
      top = Math.max(percentile(y, 0.95), max(s));
      niceStepTicks(c, x, s);
    }
    List<History.EpochPoint> val = epochs.stream().filter(e -> Double.isFinite(e.valLoss())).toList();
    if (!val.isEmpty()) {
      double[] vy = val.stream().mapToDouble(History.EpochPoint::valLoss).toArray();
      XYSeries s = c.addSeries("validation (per epoch)", val.stream().mapToDouble(History.EpochPoint::step).toArray(), vy);
      s.setMarker(SeriesMarkers.CIRCLE);
      s.setLineColor(VAL);
      s.setMarkerColor(VAL);
      top = Math.max(top, max(vy));
    }
    if (top > 0) {
      c.getStyler().setYAxisMin(0.0);
      c.getStyler().setYAxisMax(top * 1.05);
    }
    save(c, file);
  }

  static void accuracy(Path file, List<History.EpochPoint> epochs) throws IOException {
    XYChart c = xy("Top-1 accuracy per epoch", "epoch", "top-1 accuracy");
    List<History.EpochPoint> train = epochs.stream().filter(e -> Double.isFinite(e.trainAccuracy())).toList();
    if (!train.isEmpty()) {
      XYSeries s = line(c, "train", train.stream().mapToDouble(e -> e.epoch() + 1).toArray(),
          train.stream().mapToDouble(History.EpochPoint::trainAccuracy).toArray());
      s.setMarker(SeriesMarkers.CIRCLE);
      s.setLineColor(TRAIN);
      s.setMarkerColor(TRAIN);
    }
    List<History.EpochPoint> val = epochs.stream().filter(e -> Double.isFinite(e.valTop1())).toList();
    if (!val.isEmpty()) {
      XYSeries s = line(c, "validation", val.stream().mapToDouble(e -> e.epoch() + 1).toArray(),
          val.stream().mapToDouble(History.EpochPoint::valTop1).toArray());
      s.setMarker(SeriesMarkers.DIAMOND);
      s.setLineColor(VAL);
      s.setMarkerColor(VAL);
    }
    if (epochs.size() > 20) { // up to 20 epochs every one gets its tick; beyond that round numbers read better
      niceStepTicks(c, epochs.stream().mapToDouble(e -> e.epoch() + 1).toArray(), new double[] {0});
    }
    c.getStyler().setYAxisMin(0.0);
    c.getStyler().setYAxisMax(1.0);
    c.getStyler().setLegendPosition(Styler.LegendPosition.InsideSE); // accuracy rises: keep the corner it ends in free
    save(c, file);
  }

  static void learningRate(Path file, List<History.StepPoint> steps) throws IOException {
    double[] x = steps.stream().mapToDouble(History.StepPoint::step).toArray();
    double[] y = steps.stream().mapToDouble(History.StepPoint::learningRate).toArray();
    // XChart prints ticks of a 1e-4-sized range as long garbled decimals: plot in units of 10^k instead.
    double peak = max(y);
    int k = peak > 0 ? (int) Math.floor(Math.log10(peak)) : 0;
    double unit = Math.pow(10, k);
    double[] scaled = Arrays.stream(y).map(v -> v / unit).toArray();
    XYChart c = xy("Learning rate", "step", k == 0 ? "learning rate" : "learning rate (× 1e" + k + ")");
    line(c, "learning rate", x, scaled).setLineColor(TRAIN);
    niceStepTicks(c, x, scaled);
    c.getStyler().setLegendVisible(false);
    c.getStyler().setYAxisMin(0.0);
    save(c, file);
  }

  /** Accuracy against confidence per bin, beside the diagonal a calibrated model follows. */
  static void reliability(Path file, flowers.eval.Calibration.Reliability r) throws IOException {
    XYChart c = xy("Reliability: accuracy against confidence", "mean top probability in the bin", "share right");
    XYSeries ideal = line(c, "calibrated", new double[] {0, 1}, new double[] {0, 1});
    ideal.setMarker(SeriesMarkers.NONE);
    ideal.setLineColor(TRAIN_RAW);
    java.util.List<Integer> bins = new java.util.ArrayList<>();
    for (int b = 0; b < r.count().length; b++) {
      if (r.count()[b] > 0) {
        bins.add(b);
      }
    }
    if (!bins.isEmpty()) {
      XYSeries s = line(c, "this model", bins.stream().mapToDouble(b -> r.confidence()[b]).toArray(),
          bins.stream().mapToDouble(b -> r.accuracy()[b]).toArray());
      s.setMarker(SeriesMarkers.CIRCLE);
      s.setLineColor(VAL);
      s.setMarkerColor(VAL);
    }
    c.getStyler().setXAxisMin(0.0);
    c.getStyler().setXAxisMax(1.0);
    c.getStyler().setYAxisMin(0.0);
    c.getStyler().setYAxisMax(1.0);
    c.getStyler().setLegendPosition(Styler.LegendPosition.InsideSE);
    save(c, file);
  }

  static void perClassRecall(Path file, List<String> names, long[][] confusion) throws IOException {
    CategoryChart c = new CategoryChartBuilder().width(WIDTH).height(HEIGHT).title("Per-class accuracy (recall)")
        .xAxisTitle("true class").yAxisTitle("recall (%)").build();
    var style = c.getStyler();
    style.setLegendVisible(false);
    style.setXAxisLabelRotation(60);
    style.setYAxisMin(0.0);
    style.setYAxisMax(100.0);
    style.setChartBackgroundColor(Color.WHITE);
    style.setPlotGridLinesColor(new Color(225, 225, 225));
    style.setLabelsVisible(true); // the value on each bar: reading 0.73 off a grid is guesswork
    style.setLabelsFont(new Font(Font.SANS_SERIF, Font.PLAIN, names.size() > 12 ? 9 : 11));
    style.setYAxisDecimalPattern("0"); // percent, so that the bar labels read "62", not "0.6"
    style.setSeriesColors(new Color[] {TRAIN});
    double[] recall = new double[names.size()];
    for (int k = 0; k < names.size(); k++) {
      long support = Arrays.stream(confusion[k]).sum();
      recall[k] = support == 0 ? 0 : 100.0 * confusion[k][k] / support;
    }
    c.addSeries("recall", names, Arrays.stream(recall).boxed().toList());
    style.setLabelsFontColor(Color.WHITE);
    style.setLabelsPosition(0.92); // inside the top of each bar
    BitmapEncoder.saveBitmap(c, file.toString(), BitmapEncoder.BitmapFormat.PNG);
  }

  /** Rows = true class, columns = predicted; green diagonal, red mistakes, counts written in the cells. */
  static void confusion(Path file, List<String> names, long[][] m) throws IOException {
    int n = names.size();
    Font title = new Font(Font.SANS_SERIF, Font.BOLD, 15);
    Font axis = new Font(Font.SANS_SERIF, Font.BOLD, 12);
    int cell = Math.max(18, Math.min(40, 660 / Math.max(1, n)));
    Font text = new Font(Font.SANS_SERIF, Font.PLAIN, Math.min(12, cell / 2 + 2));
    // The label margins fit the longest class name, so long names are never cut off.
    BufferedImage probe = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
    FontMetrics fm = probe.getGraphics().getFontMetrics(text);
    int label = 10 + names.stream().mapToInt(fm::stringWidth).max().orElse(0);
    int left = 30 + label;
    int top = 60 + label;
    int w = left + n * cell + 20;
    int h = top + n * cell + 20;
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, w, h);
    long max = 1;
    for (long[] row : m) {
      for (long v : row) {
        max = Math.max(max, v);
      }
    }
    g.setColor(Color.BLACK);
    g.setFont(title);
    centre(g, "Confusion matrix", w / 2, 22);
    g.setFont(axis);
    centre(g, "predicted class", left + n * cell / 2, 45);
    Graphics2D v = (Graphics2D) g.create();
    v.translate(18, top + n * cell / 2);
    v.rotate(-Math.PI / 2);
    centre(v, "true class", 0, 0);
    v.dispose();
    g.setFont(text);
    for (int i = 0; i < n; i++) {
      g.setColor(Color.BLACK);
      g.drawString(names.get(i), left - 6 - fm.stringWidth(names.get(i)), top + i * cell + cell / 2 + 4);
      Graphics2D r = (Graphics2D) g.create();
      r.translate(left + i * cell + cell / 2 + 4, top - 6);
      r.rotate(-Math.PI / 2);
      r.drawString(names.get(i), 0, 0);
      r.dispose();
      for (int j = 0; j < n; j++) {
        // sqrt: a handful of mistakes still shows next to a diagonal of hundreds
        double f = Math.sqrt(m[i][j] / (double) max);
        Color c = i == j ? blend(new Color(225, 240, 225), new Color(20, 110, 40), f)
            : blend(new Color(252, 232, 225), new Color(200, 50, 30), f);
        g.setColor(m[i][j] == 0 ? new Color(248, 248, 248) : c);
        g.fillRect(left + j * cell, top + i * cell, cell - 1, cell - 1);
        if (m[i][j] > 0) {
          g.setColor(f > 0.6 ? Color.WHITE : Color.BLACK);
          centre(g, Long.toString(m[i][j]), left + j * cell + cell / 2, top + i * cell + cell / 2 + 4);
        }
      }
    }
    g.setColor(Color.GRAY);
    g.setStroke(new BasicStroke(1));
    g.drawRect(left - 1, top - 1, n * cell, n * cell);
    g.dispose();
    ImageIO.write(img, "png", file.toFile());
  }

  private static void centre(Graphics2D g, String s, int x, int baseline) {
    g.drawString(s, x - g.getFontMetrics().stringWidth(s) / 2, baseline);
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
    style.setXAxisDecimalPattern("#,##0");
    return c;
  }

  private static XYSeries line(XYChart c, String name, double[] x, double[] y) {
    XYSeries s = c.addSeries(name, x, y);
    s.setMarker(SeriesMarkers.NONE);
    return s;
  }

  /**
   * XChart puts the ticks of an evenly spaced x series (steps 1, 2, 3, ...) on data points, which gives
   * labels like 1, 178, 355. One invisible point half a step before the first breaks the even spacing,
   * and XChart falls back to round ticks (0, 500, 1,000).
   */
  private static void niceStepTicks(XYChart c, double[] x, double[] y) {
    double y0 = Arrays.stream(y).filter(Double::isFinite).findFirst().orElse(0);
    if (x.length > 1) {
      XYSeries s = c.addSeries(" ", new double[] {x[0] - 0.5}, new double[] {y0});
      s.setMarker(SeriesMarkers.NONE);
      s.setShowInLegend(false);
    }
  }

  private static void save(XYChart c, Path file) throws IOException {
    BitmapEncoder.saveBitmap(c, file.toString(), BitmapEncoder.BitmapFormat.PNG);
  }

  /** Exponential moving average, the same smoothing TensorBoard's slider applies; NaN steps are skipped. */
  static double[] smooth(double[] y, double weight) {
    double[] out = new double[y.length];
    double last = Double.NaN;
    for (int i = 0; i < y.length; i++) {
      if (Double.isFinite(y[i])) {
        last = Double.isNaN(last) ? y[i] : last * weight + (1 - weight) * y[i];
      }
      out[i] = last;
    }
    return out;
  }

  private static double max(double[] y) {
    return Arrays.stream(y).filter(Double::isFinite).max().orElse(0);
  }

  private static double percentile(double[] y, double q) {
    double[] s = Arrays.stream(y).filter(Double::isFinite).sorted().toArray();
    return s.length == 0 ? 0 : s[(int) Math.min(s.length - 1, Math.round(q * (s.length - 1)))];
  }
}

package flowers.tools;

import flowers.data.DatasetScan;
import flowers.data.ImageFolder;
import flowers.data.LabeledImage;
import flowers.data.Split;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * The "is the dataset trivial?" baseline of README's results table: softmax regression on a
 * 4×4×4 colour histogram, on the same split as {@code train}.
 *
 * <pre>{@code
 * mvn -q test-compile exec:java -Dexec.classpathScope=test \
 *     -Dmain.class=flowers.tools.ColourHistogramBaseline -Dexec.args="DATA_DIR [SEED] [VAL_FRACTION]"
 * }</pre>
 */
public final class ColourHistogramBaseline {
  static final int BINS = 4;

  public static void main(String[] args) throws IOException {
    Path data = Path.of(args[0]);
    long seed = args.length > 1 ? Long.parseLong(args[1]) : 42;
    double valFraction = args.length > 2 ? Double.parseDouble(args[2]) : 0.2;
    ImageFolder folder = DatasetScan.scan(data);
    Split split = Split.stratified(folder, valFraction, seed);
    int c = folder.classNames().size();
    double[][] train = features(split.train());
    double[][] val = features(split.val());
    int d = train[0].length;
    double[][] w = new double[c][d + 1];
    double lr = 0.5;
    for (int epoch = 0; epoch < 300; epoch++) {
      double[][] grad = new double[c][d + 1];
      for (int i = 0; i < train.length; i++) {
        double[] p = softmax(w, train[i]);
        int y = split.train().get(i).label();
        for (int k = 0; k < c; k++) {
          double g = p[k] - (k == y ? 1 : 0);
          for (int j = 0; j < d; j++) {
            grad[k][j] += g * train[i][j];
          }
          grad[k][d] += g;
        }
      }
      for (int k = 0; k < c; k++) {
        for (int j = 0; j <= d; j++) {
          w[k][j] -= lr * grad[k][j] / train.length;
        }
      }
    }
    System.out.printf("colour-histogram softmax regression: train %.3f, validation %.3f (%d classes, chance %.3f)%n",
        accuracy(w, train, split.train()), accuracy(w, val, split.val()), c, 1.0 / c);
  }

  static double accuracy(double[][] w, double[][] x, List<LabeledImage> labels) {
    int right = 0;
    for (int i = 0; i < x.length; i++) {
      double[] p = softmax(w, x[i]);
      int best = 0;
      for (int k = 1; k < p.length; k++) {
        if (p[k] > p[best]) {
          best = k;
        }
      }
      right += best == labels.get(i).label() ? 1 : 0;
    }
    return right / (double) x.length;
  }

  static double[] softmax(double[][] w, double[] x) {
    double[] z = new double[w.length];
    double max = Double.NEGATIVE_INFINITY;
    for (int k = 0; k < w.length; k++) {
      z[k] = w[k][x.length];
      for (int j = 0; j < x.length; j++) {
        z[k] += w[k][j] * x[j];
      }
      max = Math.max(max, z[k]);
    }
    double sum = 0;
    for (int k = 0; k < z.length; k++) {
      z[k] = Math.exp(z[k] - max);
      sum += z[k];
    }
    for (int k = 0; k < z.length; k++) {
      z[k] /= sum;
    }
    return z;
  }

  /** Normalised 64-bin RGB histogram (times the bin count, so features are O(1)). */
  static double[][] features(List<LabeledImage> images) throws IOException {
    double[][] out = new double[images.size()][BINS * BINS * BINS];
    for (int i = 0; i < images.size(); i++) {
      BufferedImage img = ImageIO.read(images.get(i).path().toFile());
      int n = img.getWidth() * img.getHeight();
      for (int y = 0; y < img.getHeight(); y++) {
        for (int x = 0; x < img.getWidth(); x++) {
          int rgb = img.getRGB(x, y);
          int r = ((rgb >> 16) & 0xff) * BINS / 256;
          int g = ((rgb >> 8) & 0xff) * BINS / 256;
          int b = (rgb & 0xff) * BINS / 256;
          out[i][(r * BINS + g) * BINS + b] += (double) (BINS * BINS * BINS) / n;
        }
      }
    }
    return out;
  }
}

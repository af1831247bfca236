package flowers.testing;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import javax.imageio.ImageIO;

/** A dataset a network learns in a few steps: each class its own colour and shape, with noise. */
public final class EasyImages {
  private EasyImages() {}

  public static final Color[] COLOURS = {
    new Color(220, 30, 30), new Color(30, 200, 40), new Color(40, 60, 230), new Color(240, 220, 30),
    new Color(200, 40, 220), new Color(30, 210, 220)
  };

  public static BufferedImage image(int label, int size, Random rnd) {
    BufferedImage img = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setColor(new Color(90 + rnd.nextInt(30), 90 + rnd.nextInt(30), 90 + rnd.nextInt(30)));
    g.fillRect(0, 0, size, size);
    g.setColor(COLOURS[label % COLOURS.length]);
    int r = size / 3 + rnd.nextInt(size / 6);
    g.fillOval(size / 2 - r + rnd.nextInt(5) - 2, size / 2 - r + rnd.nextInt(5) - 2, 2 * r, 2 * r);
    g.dispose();
    return img;
  }

  /** {@code root/class_<k>/img_<i>.png}; returns root. */
  public static Path write(Path root, int classes, int perClass, int size, long seed) {
    Random rnd = new Random(seed);
    try {
      for (int k = 0; k < classes; k++) {
        Path dir = root.resolve("class_" + k);
        Files.createDirectories(dir);
        for (int i = 0; i < perClass; i++) {
          ImageIO.write(image(k, size, rnd), i % 2 == 0 ? "png" : "jpg", dir.resolve(String.format("img_%03d.%s", i, i % 2 == 0 ? "png" : "jpg")).toFile());
        }
      }
      return root;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

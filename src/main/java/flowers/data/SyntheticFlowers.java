package flowers.data;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;

/**
 * The bundled dataset: 20 classes of procedurally drawn flowers written as JPEGs in the dataset
 * layout, so the project trains on a fresh machine with no download. Deterministic: the same
 * (seed, per-class count, size) writes byte-identical files, whatever the number of threads.
 */
public final class SyntheticFlowers {
  private SyntheticFlowers() {}

  public static final List<String> CLASS_NAMES = FlowerSpecies.ALL.stream().map(FlowerSpecies::name).toList();

  public record Config(Path output, int perClass, int imageSize, long seed) {
    public Config {
      if (perClass < 1) {
        throw new IllegalArgumentException("--per-class must be at least 1, got " + perClass);
      }
      if (imageSize < 8) {
        throw new IllegalArgumentException("--image-size must be at least 8, got " + imageSize);
      }
    }
  }

  public record Summary(Path output, int classes, int images, Duration elapsed) {}

  public static Summary generate(Config config) throws IOException {
    System.setProperty("java.awt.headless", "true");
    long start = System.nanoTime();
    for (String name : CLASS_NAMES) {
      Files.createDirectories(config.output().resolve(name));
    }
    int total = CLASS_NAMES.size() * config.perClass();
    try {
      IntStream.range(0, total).parallel().forEach(i -> {
        int k = i / config.perClass();
        int n = i % config.perClass();
        String name = CLASS_NAMES.get(k);
        BufferedImage img = draw(k, config.imageSize(), new Random(imageSeed(config.seed(), k, n)));
        write(img, config.output().resolve(name).resolve(String.format("%s_%04d.jpg", name, n)));
      });
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
    return new Summary(config.output(), CLASS_NAMES.size(), total, Duration.ofNanos(System.nanoTime() - start));
  }

  /** One picture of class {@code classIndex} (an index into {@link #CLASS_NAMES}). */
  public static BufferedImage draw(int classIndex, int imageSize, Random rnd) {
    return FlowerPainter.paint(FlowerSpecies.ALL.get(classIndex), imageSize, rnd);
  }

  static long imageSeed(long seed, int classIndex, int imageIndex) {
    long h = seed * 0x9E3779B97F4A7C15L + classIndex;
    h = h * 0xBF58476D1CE4E5B9L + imageIndex;
    return h ^ (h >>> 29);
  }

  private static void write(BufferedImage img, Path file) {
    ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
    try (ImageOutputStream out = ImageIO.createImageOutputStream(file.toFile())) {
      ImageWriteParam param = writer.getDefaultWriteParam();
      param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
      param.setCompressionQuality(0.9f);
      writer.setOutput(out);
      writer.write(null, new IIOImage(img, null, null), param);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
    } finally {
      writer.dispose();
    }
  }
}

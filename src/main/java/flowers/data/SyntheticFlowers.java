package flowers.data;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
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

  static {
    // Drawing needs no display; without this a desktop JVM may try to open one (and fail on a server
    // whose DISPLAY points nowhere). Set here rather than in generate() so draw() alone is covered too.
    System.setProperty("java.awt.headless", "true");
  }

  public static final List<String> CLASS_NAMES = FlowerSpecies.ALL.stream().map(FlowerSpecies::name).toList();

  public record Config(Path output, int perClass, int imageSize, long seed) {
    public Config {
      Objects.requireNonNull(output, "output folder");
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
    if (classIndex < 0 || classIndex >= FlowerSpecies.ALL.size()) {
      throw new IllegalArgumentException("class index must be in 0.." + (FlowerSpecies.ALL.size() - 1) + ", got " + classIndex);
    }
    if (imageSize < 8) {
      throw new IllegalArgumentException("image size must be at least 8, got " + imageSize);
    }
    return FlowerPainter.paint(FlowerSpecies.ALL.get(classIndex), imageSize, rnd);
  }

  static long imageSeed(long seed, int classIndex, int imageIndex) {
    return Seeds.mix(seed, classIndex, imageIndex);
  }

  /**
   * Encodes in memory, then replaces the file in one move: ImageIO's own file stream overwrites in
   * place without truncating, so regenerating over a larger old JPEG left its tail behind (still
   * decodable, but no longer byte-identical), and a crash mid-write would leave half a JPEG. The
   * temporary name starts with a dot, so a leftover is a hidden file that the dataset scan ignores.
   */
  private static void write(BufferedImage img, Path file) {
    ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
    Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      try (ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
        ImageWriteParam param = writer.getDefaultWriteParam();
        param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
        param.setCompressionQuality(0.9f);
        writer.setOutput(out);
        writer.write(null, new IIOImage(img, null, null), param);
      }
      Files.write(tmp, bytes.toByteArray());
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      try {
        Files.deleteIfExists(tmp);
      } catch (IOException ignored) {
        // the write error below is the one worth reporting
      }
      throw new UncheckedIOException(new IOException("cannot write " + file + ": " + e.getMessage(), e));
    } finally {
      writer.dispose();
    }
  }
}

package flowers.data;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Decode throughput of the loader, images/s at 224 px: {@code java -cp <test classpath>
 * flowers.data.DecodeThroughput [dir]}. Generates 200 synthetic 240 px JPEGs when the folder is
 * empty. Not a test: timings belong in the README, not in assertions.
 */
public final class DecodeThroughput {
  public static void main(String[] args) throws Exception {
    Path dir = args.length > 0 ? Path.of(args[0]) : Files.createTempDirectory("decode-bench");
    if (!Files.exists(dir.resolve("bluebell"))) {
      SyntheticFlowers.generate(new SyntheticFlowers.Config(dir, 10, 240, 7));
    }
    var images = DatasetScan.scan(dir).images();
    for (String mode : new String[] {"plain", "augmented"}) {
      for (int threads : new int[] {1, 2}) {
        Augmenter aug = mode.equals("plain") ? null : StandardAugmenter.defaults();
        try (BatchLoader loader = new BatchLoader(images, new LoaderConfig(224, 16, 1, threads, 4, true, false, aug))) {
          loader.epoch(0, 0).forEach(b -> {}); // warm-up: TF kernels, page cache
          long t0 = System.nanoTime();
          int n = 0;
          for (int e = 1; e <= 3; e++) {
            for (Batch b : loader.epoch(e, 0)) {
              n += b.size();
            }
          }
          double s = (System.nanoTime() - t0) / 1e9;
          System.out.printf("%s, %d thread(s): %d images in %.2f s = %.0f images/s%n", mode, threads, n, s, n / s);
        }
      }
    }
    // A 24-megapixel camera photo: TF decodes it at full size before resizing.
    java.awt.image.BufferedImage big = SyntheticFlowers.draw(0, 4000, new java.util.Random(1));
    java.awt.image.BufferedImage wide = new java.awt.image.BufferedImage(6000, 4000, java.awt.image.BufferedImage.TYPE_INT_RGB);
    wide.createGraphics().drawImage(big, 0, 0, 6000, 4000, null);
    java.io.ByteArrayOutputStream jpeg = new java.io.ByteArrayOutputStream();
    javax.imageio.ImageIO.write(wide, "jpg", jpeg);
    try (ImageDecoder d = new ImageDecoder(224)) {
      d.decode(jpeg.toByteArray());
      long t0 = System.nanoTime();
      for (int i = 0; i < 3; i++) {
        d.decode(jpeg.toByteArray());
      }
      System.out.printf("6000x4000 JPEG (%d KB): %.0f ms per image%n", jpeg.size() / 1024, (System.nanoTime() - t0) / 3e6);
    }
  }
}

package flowers.tools;

import flowers.data.SyntheticFlowers;
import flowers.testing.ImageCopies;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;

/**
 * A small photo folder with the problems {@code inspect} looks for, for the README: three classes
 * of 128 px synthetic flowers (daisy 30, rose 30, tulip 12) and one wide rose, then an identical
 * copy, a resized copy, a PNG copy of a JPEG, a copy cropped by 2 % on each side and re-encoded, a
 * rose filed under tulip too, a truncated JPEG, a WebP and a text file named .jpg.
 *
 * <p>{@code mvn -q test-compile exec:java -Dexec.classpathScope=test
 * -Dmain.class=flowers.tools.PlantProblems -Dexec.args=planted}
 */
public final class PlantProblems {
  public static void main(String[] args) throws IOException {
    Path root = Path.of(args.length > 0 ? args[0] : "planted");
    String[] classes = {"daisy", "rose", "tulip"};
    int[] species = {6, 17, 19};
    int[] counts = {30, 30, 12};
    for (int k = 0; k < 3; k++) {
      Files.createDirectories(root.resolve(classes[k]));
      for (int i = 0; i < counts[k]; i++) {
        write(root, String.format("%s/%s_%02d.jpg", classes[k], classes[k], i), ImageCopies.jpeg(draw(species[k], i), 0.9f));
      }
    }
    Files.copy(root.resolve("daisy/daisy_03.jpg"), root.resolve("daisy/daisy_03 (copy).jpg"));
    write(root, "daisy/daisy_07_small.jpg", ImageCopies.jpeg(ImageCopies.scale(draw(6, 7), 96, 96), 0.8f));
    write(root, "rose/rose_11_edited.jpg", ImageCopies.jpeg(ImageCopies.crop(draw(17, 11), 0.02, 0.02, 0.02, 0.02), 0.75f));
    write(root, "rose/rose_20.png", ImageCopies.png(draw(17, 20)));
    write(root, "tulip/IMG_0412.jpg", ImageCopies.jpeg(ImageCopies.scale(draw(17, 5), 112, 112), 0.85f));
    write(root, "rose/rose_wide.jpg", ImageCopies.jpeg(ImageCopies.scale(draw(17, 40), 192, 128), 0.9f));
    write(root, "tulip/tulip_04_cut.jpg", Arrays.copyOf(ImageCopies.jpeg(draw(19, 4), 0.9f), 2000));
    write(root, "rose/from_phone.webp", new byte[] {'R', 'I', 'F', 'F', 0x24, 0, 0, 0, 'W', 'E', 'B', 'P', 'V', 'P', '8', ' '});
    write(root, "daisy/notes.jpg", "remember to buy film".getBytes());
    System.out.println("planted problems in " + root);
  }

  static BufferedImage draw(int species, int i) {
    return SyntheticFlowers.draw(species, 128, new Random(7919L * species + i));
  }

  static void write(Path root, String rel, byte[] bytes) throws IOException {
    Files.write(root.resolve(rel), bytes);
  }
}

package flowers.data;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Turns a user's photo folder into labelled files. The rules (README "Dataset layout"):
 *
 * <ul>
 *   <li>a class is a sub-folder of the root whose name does not start with '.'; class index =
 *       position in the sorted folder names;
 *   <li>its images are the files below it, at any depth, named {@code .jpg .jpeg .png .gif .bmp}
 *       in any case; the content decides the format, not the name; {@code .webp .heic .heif .avif
 *       .tif .tiff} photos, which TF cannot decode, are skipped with "unsupported format (…)";
 *   <li>hidden files and OS litter ({@code .DS_Store}, {@code Thumbs.db}, {@code desktop.ini}) are
 *       ignored without a word; other files, empty files, broken links and link loops are skipped
 *       with a reason; so is a file or folder reached a second time through a link (the first
 *       path in class order, real entries before links, keeps it);
 *   <li>an empty class folder is left out with a warning; a class folder whose files are all
 *       unusable is an error, since the user evidently meant it as a class.
 * </ul>
 */
public final class DatasetScan {
  private DatasetScan() {}

  public static final List<String> IMAGE_EXTENSIONS = List.of("jpg", "jpeg", "png", "gif", "bmp");
  /** Photo formats TF cannot decode: named in the skip reason rather than "not an image". */
  static final List<String> UNSUPPORTED_EXTENSIONS = List.of("webp", "heic", "heif", "avif", "tif", "tiff");
  private static final Set<String> LITTER = Set.of("thumbs.db", "desktop.ini", "ehthumbs.db");

  public static boolean isImageName(String fileName) {
    return IMAGE_EXTENSIONS.contains(extension(fileName));
  }

  /**
   * A name the scan treats as a photo: one it decodes, or one of a photo format TF cannot read,
   * which it skips naming the format rather than ignoring.
   */
  public static boolean isPhotoName(String fileName) {
    return isImageName(fileName) || isUnsupportedPhoto(fileName);
  }

  /** Hidden files and OS litter, which the scan passes over without a word. */
  public static boolean isIgnored(String fileName) {
    return fileName.startsWith(".") || LITTER.contains(fileName.toLowerCase(Locale.ROOT));
  }

  public static ImageFolder scan(Path root) {
    if (!Files.exists(root)) {
      throw new DataException("data folder " + root + " does not exist: pass --data-dir with one sub-folder per class");
    }
    if (!Files.isDirectory(root)) {
      throw new DataException("--data-dir " + root + " is a file, not a folder of class folders");
    }
    List<Path> classDirs = new ArrayList<>();
    List<Skipped> skipped = new ArrayList<>();
    for (Path entry : sortedEntries(root)) {
      String name = entry.getFileName().toString();
      if (isIgnored(name)) {
        continue;
      }
      if (Files.isDirectory(entry)) {
        classDirs.add(entry);
      } else if (Files.isSymbolicLink(entry) && !Files.exists(entry)) {
        skipped.add(new Skipped(entry, "broken symbolic link"));
      } else {
        skipped.add(new Skipped(entry, "not inside a class folder"));
      }
    }
    List<String> classNames = new ArrayList<>();
    List<LabeledImage> images = new ArrayList<>();
    // Real path → the first path it was reached by, over all classes: links can make one folder
    // or photo reachable twice, and one photo must not be trained on twice or under two labels.
    Map<Path, Path> seen = new HashMap<>();
    for (Path classDir : classDirs) {
      String className = classDir.getFileName().toString();
      List<Path> files = new ArrayList<>();
      int skippedBefore = skipped.size();
      collect(classDir, files, skipped, seen, new ArrayDeque<>());
      if (files.isEmpty() && skipped.size() == skippedBefore) {
        // An empty folder holds nothing to learn from: leave it out rather than stop the run.
        skipped.add(new Skipped(classDir, "empty class folder, not a class"));
        continue;
      }
      if (files.isEmpty()) {
        throw new DataException("class folder '" + className + "' in " + root + " has no usable image ("
            + String.join("/", IMAGE_EXTENSIONS) + "): add images or remove the folder");
      }
      int label = classNames.size();
      classNames.add(className);
      files.sort(null);
      for (Path f : files) {
        images.add(new LabeledImage(f, label));
      }
    }
    if (classNames.isEmpty()) {
      throw new DataException("no class folders with images in " + root + ": put images in " + root
          + "/<class name>/ (one folder per class)");
    }
    if (classNames.size() < 2) {
      throw new DataException("only one class folder with images in " + root + " (" + classNames.get(0)
          + "): a classifier needs at least two");
    }
    return new ImageFolder(root, List.copyOf(classNames), List.copyOf(images), List.copyOf(skipped));
  }

  private static void collect(Path dir, List<Path> files, List<Skipped> skipped, Map<Path, Path> seen,
      Deque<Path> ancestors) {
    Path real;
    try {
      real = dir.toRealPath();
    } catch (IOException e) {
      skipped.add(new Skipped(dir, "unreadable folder"));
      return;
    }
    if (ancestors.contains(real)) {
      skipped.add(new Skipped(dir, "symbolic link loop"));
      return;
    }
    Path first = seen.putIfAbsent(real, dir);
    if (first != null) {
      skipped.add(new Skipped(dir, "same folder as " + first + ", already scanned"));
      return;
    }
    ancestors.push(real);
    // Real entries before links, so that what a link duplicates is kept under its own name.
    List<Path> entries = sortedEntries(dir);
    entries.sort(java.util.Comparator.comparing(Files::isSymbolicLink));
    for (Path entry : entries) {
      String name = entry.getFileName().toString();
      if (isIgnored(name)) {
        continue;
      }
      if (Files.isDirectory(entry)) {
        collect(entry, files, skipped, seen, ancestors);
      } else if (!Files.exists(entry)) {
        skipped.add(new Skipped(entry, Files.isSymbolicLink(entry) ? "broken symbolic link" : "vanished"));
      } else if (isUnsupportedPhoto(name)) {
        // A JPEG saved under a .webp name still decodes: the content decides.
        ImageFormat format = ImageFormat.sniff(header(entry));
        if (format.decodable) {
          addOnce(entry, files, skipped, seen);
        } else {
          skipped.add(new Skipped(entry, format == ImageFormat.UNKNOWN
              ? "unsupported format (" + extension(name) + "): convert it to JPEG or PNG"
              : format.unsupportedReason()));
        }
      } else if (!isImageName(name)) {
        skipped.add(new Skipped(entry, "not an image file name (" + String.join("/", IMAGE_EXTENSIONS) + ")"));
      } else if (!Files.isReadable(entry)) {
        skipped.add(new Skipped(entry, "not readable"));
      } else if (size(entry) == 0) {
        skipped.add(new Skipped(entry, "empty file"));
      } else {
        addOnce(entry, files, skipped, seen);
      }
    }
    ancestors.pop();
  }

  private static void addOnce(Path file, List<Path> files, List<Skipped> skipped, Map<Path, Path> seen) {
    Path first = seen.putIfAbsent(realPath(file), file);
    if (first == null) {
      files.add(file);
    } else {
      skipped.add(new Skipped(file, "same file as " + first));
    }
  }

  private static Path realPath(Path file) {
    try {
      return file.toRealPath();
    } catch (IOException e) {
      return file.toAbsolutePath().normalize();
    }
  }

  private static String extension(String fileName) {
    int dot = fileName.lastIndexOf('.');
    return dot > 0 ? fileName.substring(dot + 1).toLowerCase(Locale.ROOT) : "";
  }

  static boolean isUnsupportedPhoto(String fileName) {
    return UNSUPPORTED_EXTENSIONS.contains(extension(fileName));
  }

  /** The first bytes of a file, enough for {@link ImageFormat#sniff}; none if unreadable. */
  private static byte[] header(Path file) {
    try (var in = Files.newInputStream(file)) {
      return in.readNBytes(ImageFormat.HEADER_BYTES);
    } catch (IOException e) {
      return new byte[0];
    }
  }

  private static long size(Path file) {
    try {
      return Files.size(file);
    } catch (IOException e) {
      return 0;
    }
  }

  private static List<Path> sortedEntries(Path dir) {
    List<Path> entries = new ArrayList<>();
    try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
      s.forEach(entries::add);
    } catch (IOException e) {
      throw new DataException("cannot list " + dir + ": " + e.getMessage());
    }
    entries.sort(null);
    return entries;
  }
}

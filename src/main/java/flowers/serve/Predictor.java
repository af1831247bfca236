package flowers.serve;

import flowers.data.DatasetScan;
import flowers.data.DecodeException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.FileVisitResult;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;

/** Classifies files and folders in batches; a file that cannot be read becomes an error entry. */
public final class Predictor {
  private Predictor() {}

  /**
   * Files as given, and the photos inside the given folders (recursively, sorted), in input order.
   * A folder's photos are what the training scan takes or names (DatasetScan): image names, and
   * photo formats TF cannot read (WebP, HEIC, …), broken links included, so that each gets a result
   * or an error entry as it would if given by name. Other files, and hidden ones, are not photos.
   */
  public static List<Path> expand(List<Path> inputs) throws IOException {
    List<Path> files = new ArrayList<>();
    for (Path p : inputs) {
      if (Files.isDirectory(p)) {
        List<Path> found = new ArrayList<>();
        Files.walkFileTree(p, new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
            return dir.equals(p) || !DatasetScan.isIgnored(dir.getFileName().toString())
                ? FileVisitResult.CONTINUE : FileVisitResult.SKIP_SUBTREE;
          }

          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
            String name = file.getFileName().toString();
            if (!DatasetScan.isIgnored(name) && DatasetScan.isPhotoName(name)) {
              found.add(file);
            }
            return FileVisitResult.CONTINUE;
          }
        });
        found.sort(null);
        files.addAll(found);
      } else {
        files.add(p);
      }
    }
    return files;
  }

  public static List<PredictionResult> predict(Classifier classifier, List<Path> files, int topK, int batchSize) {
    return predict(classifier, files, topK, batchSize, Double.NaN);
  }

  /**
   * @param minConfidence images whose top probability is below it are marked unknown
   *     ({@link Classifier#isUnknown}); NaN marks none
   */
  public static List<PredictionResult> predict(Classifier classifier, List<Path> files, int topK, int batchSize,
      double minConfidence) {
    int pixels = classifier.imageSize() * classifier.imageSize() * 3;
    List<PredictionResult> results = new ArrayList<>(files.size());
    float[] batch = new float[batchSize * pixels];
    List<Integer> pending = new ArrayList<>(batchSize);
    for (int i = 0; i < files.size(); i++) {
      Path file = files.get(i);
      results.add(null);
      try {
        float[] image = classifier.decode(file);
        System.arraycopy(image, 0, batch, pending.size() * pixels, pixels);
        pending.add(i);
      } catch (IOException e) {
        results.set(i, PredictionResult.failed(file.toString(), Files.isSymbolicLink(file) && !Files.exists(file)
            ? "broken symbolic link" : "cannot read file: " + reason(e)));
      } catch (DecodeException e) {
        results.set(i, PredictionResult.failed(file.toString(), e.getMessage()));
      }
      if (pending.size() == batchSize || (i == files.size() - 1 && !pending.isEmpty())) {
        float[] p = classifier.probabilities(batch, pending.size());
        for (int k = 0; k < pending.size(); k++) {
          int index = pending.get(k);
          List<Prediction> top = classifier.top(p, k, topK);
          results.set(index, PredictionResult.of(files.get(index).toString(), top,
              Classifier.isUnknown(top.get(0).probability(), minConfidence)));
        }
        pending.clear();
      }
    }
    return results;
  }

  private static String reason(IOException e) {
    return e instanceof java.nio.file.NoSuchFileException ? "no such file"
        : e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }
}

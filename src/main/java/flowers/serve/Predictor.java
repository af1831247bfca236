package flowers.serve;

import flowers.data.DatasetScan;
import flowers.data.DecodeException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Classifies files and folders in batches; a file that cannot be read becomes an error entry. */
public final class Predictor {
  private Predictor() {}

  /** Files as given, and every image inside the given folders (recursively, sorted), in input order. */
  public static List<Path> expand(List<Path> inputs) throws IOException {
    List<Path> files = new ArrayList<>();
    for (Path p : inputs) {
      if (Files.isDirectory(p)) {
        try (Stream<Path> s = Files.walk(p)) {
          s.filter(Files::isRegularFile).filter(f -> DatasetScan.isImageName(f.getFileName().toString()))
              .sorted().forEach(files::add);
        }
      } else {
        files.add(p);
      }
    }
    return files;
  }

  public static List<PredictionResult> predict(Classifier classifier, List<Path> files, int topK, int batchSize) {
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
        results.set(i, PredictionResult.failed(file.toString(), "cannot read file: " + reason(e)));
      } catch (DecodeException e) {
        results.set(i, PredictionResult.failed(file.toString(), e.getMessage()));
      }
      if (pending.size() == batchSize || (i == files.size() - 1 && !pending.isEmpty())) {
        float[] p = classifier.probabilities(batch, pending.size());
        for (int k = 0; k < pending.size(); k++) {
          int index = pending.get(k);
          results.set(index, PredictionResult.of(files.get(index).toString(), classifier.top(p, k, topK)));
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

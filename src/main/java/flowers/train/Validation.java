package flowers.train;

import flowers.data.BatchLoader;
import flowers.data.ImageFolder;
import flowers.eval.Calibration;
import flowers.eval.ConfusionMatrix;
import flowers.eval.Evaluation;
import flowers.eval.Rejection;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.tensorflow.Session;

/**
 * The validation split's confusion matrix, and the temperature that calibrates these weights on it.
 *
 * @param temperature fitted on the validation probabilities: their logarithms are the logits up
 *     to a constant per image, which softmax ignores
 * @param minConfidence the automatic "unknown" threshold ({@link Rejection#autoThreshold}) on the
 *     probabilities at that temperature, which are what inference gives; NaN when none
 */
public record Validation(ConfusionMatrix matrix, double temperature, double minConfidence) {

  /** Validates the weight averages when the run keeps them, else the weights. */
  static Validation run(Session session, TrainingGraph t, BatchLoader val, ImageFolder folder) {
    if (t.ema != null) {
      session.runner().addTarget(t.ema.swapIn).run();
    }
    try {
      ConfusionMatrix cm = new ConfusionMatrix(folder.classNames());
      int classes = folder.classNames().size();
      FloatList logits = new FloatList();
      List<Integer> labels = new ArrayList<>();
      Evaluation.run(Evaluation.of(session, t.images, t.net.probabilities(), (int) t.images.shape().get(1), t.training),
          val, cm, (path, label, p, offset) -> {
            for (int j = 0; j < classes; j++) {
              logits.add((float) Math.log(Math.max(p[offset + j], 1e-37f)));
            }
            labels.add(label);
          });
      float[] z = logits.toArray();
      int[] y = labels.stream().mapToInt(Integer::intValue).toArray();
      double temperature = Calibration.fitTemperature(z, y, classes);
      double minConfidence = Rejection.autoThreshold(Calibration.probabilities(z, classes, temperature), y, classes);
      return new Validation(cm, temperature, minConfidence);
    } finally {
      if (t.ema != null) {
        session.runner().addTarget(t.ema.swapOut).run();
      }
    }
  }

  /** A growable float array: validation keeps C floats per image. */
  private static final class FloatList {
    private float[] values = new float[1024];
    private int size;

    void add(float v) {
      if (size == values.length) {
        values = Arrays.copyOf(values, size * 2);
      }
      values[size++] = v;
    }

    float[] toArray() {
      return Arrays.copyOf(values, size);
    }
  }
}

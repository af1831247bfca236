package flowers.report;

import static org.junit.jupiter.api.Assertions.assertTrue;

import flowers.checkpoint.CheckpointMetadata;
import flowers.eval.Calibration;
import flowers.eval.ConfusionMatrix;
import flowers.eval.Evaluator;
import flowers.model.ModelConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The run report draws the evaluation it is handed: no checkpoint files, no model, no second evaluation. */
class ReporterTest {
  @TempDir Path dir;

  @Test
  void theReportRendersTheEvaluationItIsHanded() throws IOException {
    ConfusionMatrix cm = new ConfusionMatrix(List.of("a", "b"));
    float[] p = {0.9f, 0.1f, 0.2f, 0.8f, 0.6f, 0.4f};
    int[] labels = {0, 1, 1};
    for (int i = 0; i < labels.length; i++) {
      cm.add(labels[i], p, 2 * i);
    }
    Evaluator.Outcome o = new Evaluator.Outcome(cm, List.of(), 0, 0.1, 0.2, new double[] {0.9, 0.8, 0.6},
        Calibration.reliability(p, labels, 2));
    // A checkpoint that exists only as metadata: a report that loaded the model would fail here.
    CheckpointMetadata meta = CheckpointMetadata.builder().files("ckpt-00000007", 1, 1, "now").step(7)
        .model(new ModelConfig(64, 2, 1)).classNames(List.of("a", "b")).seed(1).valFraction(0.2).build();
    Path html = Reporter.write(dir.resolve("report"), meta, "validation", o);
    String page = Files.readString(html);
    assertTrue(page.contains("0.6667 / 1.0000 (3 images)"), page);
    assertTrue(page.contains("ckpt-00000007 (step 7)"), page);
    assertTrue(Files.isRegularFile(dir.resolve("report/confusion.png")));
  }

  @Test
  void withoutAnEvaluationTheReportStillRenders() throws IOException {
    CheckpointMetadata meta = CheckpointMetadata.builder().files("ckpt-00000001", 1, 1, "now").step(1)
        .model(new ModelConfig(64, 2, 1)).classNames(List.of("a", "b")).seed(1).build();
    assertTrue(Files.isRegularFile(Reporter.write(dir.resolve("empty"), meta, "validation", null)));
  }
}

package flowers.runlog;

import com.google.gson.JsonObject;
import flowers.json.Json;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * {@code <checkpoint-dir>/history.jsonl}: one line per step and per epoch, appended across resumes.
 * The run report draws its curves from it. Steps re-run after a crash simply appear again; the
 * reader keeps the last line for each step.
 */
public final class History implements AutoCloseable {
  public static final String FILE = "history.jsonl";

  public record StepPoint(long step, int epoch, double loss, double accuracy, double learningRate) {}

  public record EpochPoint(int epoch, long step, double trainLoss, double trainAccuracy, double valTop1,
      double valTop5, double valLoss) {}

  private final BufferedWriter out;

  /** Appends to the history of {@code checkpointDir}, creating it if needed. */
  public History(Path checkpointDir) {
    try {
      Files.createDirectories(checkpointDir);
      out = Files.newBufferedWriter(checkpointDir.resolve(FILE), StandardCharsets.UTF_8, StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public void step(StepPoint p) {
    JsonObject o = new JsonObject();
    o.addProperty("kind", "step");
    o.addProperty("step", p.step());
    o.addProperty("epoch", p.epoch());
    o.addProperty("loss", p.loss());
    o.addProperty("accuracy", p.accuracy());
    o.addProperty("learning_rate", p.learningRate());
    write(o);
  }

  /** Written through to the file at once: an epoch is what a crash must not lose. */
  public void epoch(EpochPoint p) {
    JsonObject o = new JsonObject();
    o.addProperty("kind", "epoch");
    o.addProperty("epoch", p.epoch());
    o.addProperty("step", p.step());
    o.addProperty("train_loss", p.trainLoss());
    o.addProperty("train_accuracy", p.trainAccuracy());
    o.addProperty("val_top1", p.valTop1());
    o.addProperty("val_top5", p.valTop5());
    o.addProperty("val_loss", p.valLoss());
    write(o);
    try {
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void write(JsonObject o) {
    try {
      out.write(Json.LINE.toJson(o));
      out.newLine();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    try {
      out.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Steps and epochs of a checkpoint folder's history, one point per step (the last written). */
  public static List<StepPoint> steps(Path checkpointDir) throws IOException {
    TreeMap<Long, StepPoint> points = new TreeMap<>();
    for (JsonObject o : read(checkpointDir, "step")) {
      StepPoint p = new StepPoint(o.get("step").getAsLong(), o.get("epoch").getAsInt(), o.get("loss").getAsDouble(),
          o.get("accuracy").getAsDouble(), o.get("learning_rate").getAsDouble());
      points.put(p.step(), p);
    }
    return new ArrayList<>(points.values());
  }

  public static List<EpochPoint> epochs(Path checkpointDir) throws IOException {
    TreeMap<Integer, EpochPoint> points = new TreeMap<>();
    for (JsonObject o : read(checkpointDir, "epoch")) {
      EpochPoint p = new EpochPoint(o.get("epoch").getAsInt(), o.get("step").getAsLong(),
          num(o, "train_loss"), num(o, "train_accuracy"), num(o, "val_top1"), num(o, "val_top5"), num(o, "val_loss"));
      points.put(p.epoch(), p);
    }
    return new ArrayList<>(points.values());
  }

  private static double num(JsonObject o, String key) {
    return o.has(key) && !o.get(key).isJsonNull() ? o.get(key).getAsDouble() : Double.NaN;
  }

  private static List<JsonObject> read(Path checkpointDir, String kind) throws IOException {
    Path file = checkpointDir.resolve(FILE);
    List<JsonObject> out = new ArrayList<>();
    if (!Files.exists(file)) {
      return out;
    }
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      if (line.isBlank()) {
        continue;
      }
      try {
        JsonObject o = Json.LINE.fromJson(line, JsonObject.class);
        if (kind.equals(o.get("kind").getAsString())) {
          out.add(o);
        }
      } catch (RuntimeException torn) {
        // A line cut short by a crash: the rest of the history is still good.
      }
    }
    return out;
  }
}

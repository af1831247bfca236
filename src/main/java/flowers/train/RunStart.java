package flowers.train;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import flowers.checkpoint.CheckpointException;
import flowers.checkpoint.CheckpointManager;
import flowers.checkpoint.CheckpointMetadata;
import flowers.checkpoint.Compatibility;
import flowers.json.Json;
import flowers.runlog.History;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Which run a {@code train} continues or begins. One checkpoint folder holds one run, whose id and
 * options every checkpoint's metadata records.
 *
 * <p>Resuming takes the run's own value for every option not typed, so a plain {@code train}
 * continues the run as it was started. A typed option that differs either changes the run (said in
 * one line) or would make it another run (the split and the initial weights, the model), which is
 * refused. A new run first moves what the folder holds of the previous one into
 * {@code previous-runs/<its id>/}.
 */
final class RunStart {

  /** What a run writes into its folder besides checkpoints; train-config.json last, as it names the run. */
  static final List<String> RUN_FILES = List.of(History.FILE, Trainer.LOGS, Trainer.REPORT, Trainer.TRAIN_CONFIG);

  /**
   * An option of {@link TrainConfig} that belongs to a run, by its train-config.json key and flag.
   * A typed value that differs from the run's changes the run if {@code mayChange}; otherwise it is
   * refused, by {@link #decide} (the split, the initial weights) or by Compatibility (the model).
   */
  private record Setting(String key, String flag, boolean mayChange) {}

  private static final List<Setting> SETTINGS = List.of(
      new Setting("image_size", "--image-size", false),
      new Setting("relu_after_add", "--relu-after-add", false),
      new Setting("batch_norm", "--batch-norm", false),
      new Setting("seed", "--seed", false),
      new Setting("val_fraction", "--val-fraction", false),
      new Setting("batch_size", "--batch-size", true),
      new Setting("epochs", "--epochs", true),
      new Setting("learning_rate", "--learning-rate", true),
      new Setting("schedule", "--schedule", true),
      new Setting("warmup_steps", "--warmup-steps", true),
      new Setting("label_smoothing", "--label-smoothing", true),
      new Setting("weight_decay", "--weight-decay", true),
      new Setting("augment", "--augment", true),
      new Setting("optimizer", "--optimizer", true),
      new Setting("ema_decay", "--ema-decay", true),
      new Setting("class_weights", "--class-weights", true),
      new Setting("sampling", "--sampling", true),
      new Setting("early_stop_patience", "--early-stop", true));

  /**
   * @param config the options to train with: the run's, with what was typed on top
   * @param runId the run this {@code train} continues or begins
   * @param resumeFrom the checkpoint to resume; null for a new run
   * @param imagesInEpoch how much of {@code resumeFrom}'s epoch was trained, in images
   * @param changes what the typed options change in the resumed run, e.g. {@code --epochs 30 → 60}
   * @param previousRun where the folder's previous run went; null if nothing was moved
   */
  record Plan(TrainConfig config, String runId, CheckpointMetadata resumeFrom, int imagesInEpoch,
      List<String> changes, Path previousRun) {

    /** Where the resumed epoch goes on, in an epoch of {@code trainImages} (the dataset may have changed). */
    int position(int trainImages) {
      return Math.min(imagesInEpoch, trainImages);
    }
  }

  private RunStart() {}

  /**
   * Decides, and for a new run sets the folder's previous run aside (saying where, in one line).
   *
   * @param typed the flags given on the command line; null = every option was given (the API)
   * @throws CheckpointException the latest checkpoint is of a run these options cannot continue
   */
  static Plan decide(TrainConfig config, Set<String> typed, CheckpointManager checkpoints, List<String> classNames,
      Consumer<String> out) {
    List<CheckpointMetadata> all = checkpoints.list();
    CheckpointMetadata latest = config.resume() && !all.isEmpty() ? all.get(all.size() - 1) : null;
    if (latest == null) {
      Path previous = setAside(checkpoints, all, out);
      return new Plan(config, CheckpointMetadata.newRunId(), null, 0, List.of(), previous);
    }
    // The run's options: in its metadata, or for a run from before ids in the folder's train-config.json.
    JsonObject run = latest.config() != null ? latest.config() : legacyConfig(checkpoints.dir());
    int images = imagesDone(latest, run, config.batchSize());
    JsonObject given = tree(config);
    JsonObject merged = given.deepCopy();
    List<String> changes = new ArrayList<>();
    for (Setting s : SETTINGS) {
      JsonElement was = run == null ? null : run.get(s.key());
      JsonElement now = given.get(s.key());
      if (was == null) {
        continue; // nothing known of the run: today's value, as before run ids
      }
      if (typed != null && !typed.contains(s.flag())) {
        merged.add(s.key(), was);
      } else if (s.mayChange() && !was.equals(now)) {
        changes.add(s.flag() + " " + shown(was) + " → " + shown(now) + (s.key().equals("batch_size")
            ? " (epoch " + (latest.epoch() + 1) + " goes on after its first " + images + " images)" : ""));
      }
    }
    TrainConfig effective = Json.GSON.fromJson(merged, TrainConfig.class);
    // The split and the initial weights are the run's: its metadata says which, with or without ids.
    refuseIf(typed, "--seed", latest.seed() != config.seed(), latest, checkpoints,
        latest.seed() + ", this run asks for " + config.seed());
    refuseIf(typed, "--val-fraction", latest.valFraction() != config.valFraction(), latest, checkpoints,
        latest.valFraction() + ", this run asks for " + config.valFraction());
    // The averages are variables of the run's graph: a checkpoint has them or not.
    refuseIf(typed, "--ema-decay", latest.weightAverages() != (effective.emaDecay() > 0), latest, checkpoints,
        (latest.weightAverages() ? "> 0" : "0") + ", this run asks for " + effective.emaDecay()
            + " (weight averages are kept from a run's start or never)");
    Compatibility.check(latest, effective.model(classNames.size(), latest.seed()), classNames, checkpoints.dir());
    String runId = latest.runId() != null ? latest.runId() : CheckpointMetadata.newRunId();
    return new Plan(effective, runId, latest, images, List.copyOf(changes), null);
  }

  /**
   * Images of the checkpoint's epoch already trained on. Before run ids only the position in batches
   * was kept: in batches of the run's size, or of today's when even that is unknown (as then).
   */
  private static int imagesDone(CheckpointMetadata latest, JsonObject run, int batchSizeNow) {
    if (latest.runId() != null) {
      return latest.imagesInEpoch();
    }
    JsonElement batch = run == null ? null : run.get("batch_size");
    return latest.stepInEpoch() * (batch != null ? batch.getAsInt() : batchSizeNow);
  }

  private static void refuseIf(Set<String> typed, String flag, boolean differs, CheckpointMetadata latest,
      CheckpointManager checkpoints, String detail) {
    if (differs && (typed == null || typed.contains(flag))) {
      throw new CheckpointException("checkpoint " + latest.name() + " in " + checkpoints.dir() + " belongs to a run with "
          + flag + " " + detail + ": leave " + flag + " out to resume it, use another --checkpoint-dir, or --no-resume"
          + " to start over");
    }
  }

  /**
   * Moves the folder's previous run, if any, into previous-runs/ and returns where: a new run never
   * shares a folder with an old one. The id comes from the old run's newest checkpoint, else from its
   * train-config.json; a run from before ids gets one of its own.
   */
  private static Path setAside(CheckpointManager checkpoints, List<CheckpointMetadata> old, Consumer<String> out) {
    String id = old.isEmpty() ? null : old.get(old.size() - 1).runId();
    if (id == null) {
      JsonObject legacy = legacyConfig(checkpoints.dir());
      id = legacy != null && legacy.has("run_id") ? legacy.get("run_id").getAsString() : "unnamed-" + CheckpointMetadata.newRunId();
    }
    String what = old.isEmpty() ? "no complete checkpoint"
        : old.size() + " checkpoint" + (old.size() == 1 ? "" : "s") + " up to step " + old.get(old.size() - 1).step();
    String runId = id;
    Path to = checkpoints.setAside(runId, RUN_FILES).orElse(null);
    if (to != null) {
      out.accept("moved the previous run " + runId + " (" + what + ") and its files to " + to
          + "; this folder now holds the new run");
    }
    return to;
  }

  /** The options of the run that wrote train-config.json, or null; how runs from before ids are known. */
  private static JsonObject legacyConfig(Path dir) {
    Path file = dir.resolve(Trainer.TRAIN_CONFIG);
    try {
      return Files.isRegularFile(file) ? JsonParser.parseString(Files.readString(file)).getAsJsonObject() : null;
    } catch (IOException | RuntimeException unreadable) {
      return null; // then nothing is inherited: today's flags, as before run ids
    }
  }

  /**
   * {@code config} as the JSON tree its files hold. Through text, so that numbers compare as they
   * will after a round trip through a file (a float's widening to double would not).
   */
  static JsonObject tree(TrainConfig config) {
    return JsonParser.parseString(Json.GSON.toJson(config)).getAsJsonObject();
  }

  private static String shown(JsonElement value) {
    return value.isJsonPrimitive() && value.getAsJsonPrimitive().isString()
        ? value.getAsString().toLowerCase(Locale.ROOT) : value.toString();
  }
}

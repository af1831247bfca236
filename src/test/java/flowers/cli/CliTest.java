package flowers.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import flowers.testing.EasyImages;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line as a user meets it: exit codes, one-line errors, and the JSON contracts. */
class CliTest {
  @TempDir static Path dir;
  static Path data;
  static Path ck;

  /** Exit code, stdout and stderr of one in-process run. */
  record Run(int code, String out, String err) {}

  static synchronized Run run(String... args) {
    PrintStream oldOut = System.out;
    PrintStream oldErr = System.err;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
      System.setOut(o);
      System.setErr(e);
      var cli = Main.commandLine();
      cli.setOut(new java.io.PrintWriter(o, true));
      cli.setErr(new java.io.PrintWriter(e, true));
      int code = cli.execute(args);
      return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(oldOut);
      System.setErr(oldErr);
    }
  }

  @BeforeAll
  static void trainATinyModel() {
    data = EasyImages.write(dir.resolve("data"), 3, 10, 40, 5);
    ck = dir.resolve("ck");
    Run r = run("train", "--data-dir", data.toString(), "--checkpoint-dir", ck.toString(), "--image-size", "32",
        "--batch-size", "8", "--epochs", "6", "--learning-rate", "2e-3", "--schedule", "constant",
        "--warmup-steps", "0", "--threads", "1", "--loader-threads", "1", "--log-every", "1");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("validation: top-1"), r.out());
    assertFalse(r.out().contains("\r"), "no carriage-return progress when not on a terminal");
  }

  @Test
  void trainingLeftTensorBoardLogsHistoryAndAReport() throws Exception {
    Path trainLogs = ck.resolve("logs/train");
    Path valLogs = ck.resolve("logs/val");
    List<flowers.runlog.EventFileReader.Scalar> train = new java.util.ArrayList<>();
    try (var files = Files.list(trainLogs)) {
      for (Path f : files.toList()) {
        train.addAll(flowers.runlog.EventFileReader.scalars(f));
      }
    }
    List<flowers.runlog.History.StepPoint> steps = flowers.runlog.History.steps(ck);
    assertEquals(18, steps.size(), "6 epochs of 3 steps (24 training images, batch 8)");
    List<Double> losses = train.stream().filter(s -> s.tag().equals("loss")).map(s -> (double) s.value()).toList();
    assertEquals(steps.stream().map(p -> (double) (float) p.loss()).toList(), losses);
    List<flowers.runlog.EventFileReader.Scalar> val = new java.util.ArrayList<>();
    try (var files = Files.list(valLogs)) {
      for (Path f : files.toList()) {
        val.addAll(flowers.runlog.EventFileReader.scalars(f));
      }
    }
    assertEquals(6, val.stream().filter(s -> s.tag().equals("top1")).count());
    assertTrue(Files.isRegularFile(ck.resolve("report/report.html")));
    assertTrue(Files.isRegularFile(ck.resolve("report/confusion.png")));
    assertTrue(Files.isRegularFile(ck.resolve("train-config.json")));
  }

  @Test
  void usageErrorsExitTwoWithOneLine() {
    for (String[] args : List.of(
        new String[] {"train", "--no-such-flag"},
        new String[] {"train", "--image-size", "100", "--data-dir", data.toString()},
        new String[] {"train", "--batch-size", "0", "--data-dir", data.toString()},
        new String[] {"train", "--data-dir", dir.resolve("missing").toString()},
        new String[] {"predict", "--format", "xml", data.toString()},
        new String[] {"evaluate", "--split", "test"},
        new String[] {"evaluate", "--data-dir", dir.resolve("missing").toString(), "--checkpoint-dir", ck.toString()},
        new String[] {"predict", "--top-k", "0", data.toString()},
        new String[] {"predict", "--min-confidence", "2", data.toString()},
        new String[] {"export", "--checkpoint-dir", ck.toString(), "--output", data.toString()},
        new String[] {"generate", "--per-class", "0", "--output", dir.resolve("never").toString()},
        new String[] {"inspect", dir.resolve("missing").toString()},
        new String[] {"bench", "--batch-size", "0"},
        new String[] {"frobnicate"})) {
      Run r = run(args);
      assertEquals(2, r.code(), String.join(" ", args) + "\n" + r.err());
      assertTrue(r.err().startsWith("error: "), r.err());
      assertFalse(r.err().contains("\tat "), "no stack trace: " + r.err());
    }
  }

  @Test
  void runtimeFailuresExitOne() {
    Run r = run("evaluate", "--data-dir", data.toString(), "--checkpoint-dir", dir.resolve("empty").toString());
    assertEquals(1, r.code(), r.err());
    assertTrue(r.err().contains("no checkpoint"), r.err());
    Run s = run("predict", "--saved-model", data.toString(), data.toString());
    assertEquals(1, s.code());
    assertTrue(s.err().contains("not a SavedModel"), s.err());
    // The same rule for every command that reads a checkpoint.
    for (String[] args : List.of(
        new String[] {"predict", "--checkpoint-dir", dir.resolve("empty").toString(), data.toString()},
        new String[] {"export", "--checkpoint-dir", dir.resolve("empty").toString(), "--output",
            dir.resolve("never-exported").toString()},
        new String[] {"inspect", data.toString(), "--checkpoint-dir", dir.resolve("empty").toString()})) {
      Run e = run(args);
      assertEquals(1, e.code(), String.join(" ", args) + "\n" + e.err());
      assertEquals("error: no checkpoint in " + dir.resolve("empty") + ": run train first, or pass --checkpoint-dir",
          e.err().strip(), String.join(" ", args));
    }
  }

  @Test
  void aCorruptCheckpointIndexIsOneLineNotAStackTrace() throws Exception {
    Path copy = dir.resolve("corrupt");
    org.apache.commons.io.FileUtils.copyDirectory(ck.toFile(), copy.toFile());
    var meta = new flowers.checkpoint.CheckpointManager(copy, 5, w -> {}).latest().orElseThrow();
    Path index = copy.resolve(meta.name() + ".index");
    byte[] junk = new byte[(int) Files.size(index)];
    java.util.Arrays.fill(junk, (byte) 7);
    Files.write(index, junk); // same size: only TensorFlow can tell it is damaged
    Run r = run("evaluate", "--data-dir", data.toString(), "--checkpoint-dir", copy.toString());
    assertEquals(1, r.code(), r.err());
    assertTrue(r.err().startsWith("error: checkpoint " + meta.name() + " cannot be restored"), r.err());
    assertEquals(1, r.err().lines().count(), r.err());
  }

  @Test
  void outOfMemoryBecomesAHint() {
    assertEquals("out of memory: lower --batch-size (or --image-size)", Main.message(new OutOfMemoryError("Java heap space")));
    assertEquals("out of memory: lower --batch-size (or --image-size)",
        Main.message(new IllegalStateException("OOM when allocating tensor with shape[4096,64,224,224]")));
    assertEquals(1, Main.exitCode(new OutOfMemoryError()));
  }

  @Test
  void helpListsEverySpecOption() {
    assertHelp("train", "--data-dir", "--checkpoint-dir", "--image-size", "--batch-size", "--epochs", "--max-steps",
        "--learning-rate", "--val-fraction", "--seed", "--save-every", "--keep", "--threads", "--no-resume");
    assertHelp("evaluate", "--data-dir", "--checkpoint-dir", "--checkpoint", "--split", "--json", "--ood-dir");
    assertHelp("predict", "PATH", "--checkpoint-dir", "--checkpoint", "--saved-model", "--top-k", "--format",
        "--min-confidence");
    assertHelp("export", "--checkpoint-dir", "--checkpoint", "--output");
    assertHelp("generate", "--output", "--per-class", "--image-size", "--seed");
  }

  static void assertHelp(String command, String... options) {
    Run r = run(command, "--help");
    assertEquals(0, r.code());
    // picocli warns on stderr when a description is not a valid format string (a bare '%').
    assertFalse(r.err().contains("WARN"), command + " --help: " + r.err());
    for (String o : options) {
      assertTrue(listsOption(r.out(), o), command + " --help lacks " + o + ":\n" + r.out());
    }
  }

  /**
   * Whether {@code help} lists {@code option} in its own entry: whole, so that {@code --checkpoint}
   * inside {@code --checkpoint-dir} is not it, and at the start of a line, not named in a description.
   */
  static boolean listsOption(String help, String option) {
    return java.util.regex.Pattern.compile("(?m)^\\s*(?:-\\w,\\s+)?" + java.util.regex.Pattern.quote(option) + "(?![\\w-])")
        .matcher(help).find();
  }

  @Test
  void anOptionIsMatchedWhole() {
    assertFalse(listsOption("  --checkpoint-dir=<dir>  Where checkpoints go.", "--checkpoint"));
    assertFalse(listsOption("  --no-resume", "--resume"));
    assertTrue(listsOption("  --checkpoint-dir=<dir>\n  --checkpoint=<spec>", "--checkpoint"));
    assertFalse(listsOption("Trains; resumes unless --no-resume.", "--no-resume"), "a description is no entry");
    assertTrue(listsOption("      PATH...   Image files or folders.", "PATH"));
    assertTrue(listsOption("  -h, --help   Show this help message and exit.", "--help"));
  }

  /** A folder of random-noise PNGs: things the tiny model was not trained on, and less sure of. */
  static Path noiseFolder(String name, int count) throws Exception {
    Path folder = dir.resolve(name);
    Files.createDirectories(folder);
    java.util.Random random = new java.util.Random(name.hashCode());
    for (int i = 0; i < count; i++) {
      var image = new java.awt.image.BufferedImage(40, 40, java.awt.image.BufferedImage.TYPE_INT_RGB);
      for (int y = 0; y < 40; y++) {
        for (int x = 0; x < 40; x++) {
          image.setRGB(x, y, random.nextInt(1 << 24));
        }
      }
      javax.imageio.ImageIO.write(image, "png", folder.resolve(String.format("noise_%02d.png", i)).toFile());
    }
    return folder;
  }

  /**
   * Discs half one class's colour and half another's: the tiny model is certain (1.0f) even of
   * noise, but a disc split near the middle leaves it between two classes.
   */
  static Path ambiguousFolder(String name) throws Exception {
    Path folder = dir.resolve(name);
    Files.createDirectories(folder);
    int size = 40;
    int i = 0;
    for (int[] pair : new int[][] {{0, 1}, {1, 2}, {0, 2}}) {
      for (int split : new int[] {17, 19, 20, 21}) {
        var image = new java.awt.image.BufferedImage(size, size, java.awt.image.BufferedImage.TYPE_INT_RGB);
        var g = image.createGraphics();
        g.setColor(new java.awt.Color(100, 100, 100));
        g.fillRect(0, 0, size, size);
        g.setClip(0, 0, split, size);
        g.setColor(flowers.testing.EasyImages.COLOURS[pair[0]]);
        g.fillOval(6, 6, 28, 28);
        g.setClip(split, 0, size - split, size);
        g.setColor(flowers.testing.EasyImages.COLOURS[pair[1]]);
        g.fillOval(6, 6, 28, 28);
        g.dispose();
        javax.imageio.ImageIO.write(image, "png", folder.resolve(String.format("mix_%02d.png", i++)).toFile());
      }
    }
    return folder;
  }

  @Test
  void minConfidenceMarksUnknownsInTextCsvAndJson() throws Exception {
    Path noise = ambiguousFolder("ambiguous-predict");
    Path flowers = data.resolve("class_0");
    String[] common = {"predict", noise.toString(), flowers.toString(), "--checkpoint-dir", ck.toString(),
        "--min-confidence", "0.99", "--top-k", "2"};
    Run json = run(concat(common, "--format", "json"));
    assertEquals(0, json.code(), json.err());
    JsonArray a = JsonParser.parseString(json.out()).getAsJsonArray();
    assertEquals(22, a.size());
    int unknown = 0;
    for (var e : a) {
      JsonObject o = e.getAsJsonObject();
      double top = o.getAsJsonArray("predictions").get(0).getAsJsonObject().get("probability").getAsDouble();
      boolean marked = o.has("unknown") && o.get("unknown").getAsBoolean();
      assertEquals((float) top < 0.99f, marked, o.toString());
      assertEquals(2, o.getAsJsonArray("predictions").size(), "the guesses stay");
      unknown += marked ? 1 : 0;
    }
    assertTrue(unknown > 0, "some half-and-half disc should fall below 0.99: " + json.out());

    Run text = run(concat(common, "--format", "text"));
    assertEquals(0, text.code(), text.err());
    assertEquals(unknown, text.out().lines().filter(l -> l.contains(":  unknown (< 0.990)  ")).count(), text.out());

    Run csv = run(concat(common, "--format", "csv"));
    assertEquals(0, csv.code(), csv.err());
    List<String> lines = csv.out().lines().toList();
    assertEquals("path,rank,class_name,class_id,probability", lines.get(0));
    assertEquals(22 * 2 + unknown, lines.size() - 1);
    int rankZero = 0;
    for (String line : lines.subList(1, lines.size())) {
      String[] f = line.split(",");
      assertEquals(5, f.length, line);
      Double.parseDouble(f[4]);
      if (Integer.parseInt(f[1]) == 0) {
        assertEquals("unknown", f[2]);
        assertEquals("-1", f[3]);
        rankZero++;
      }
    }
    assertEquals(unknown, rankZero);

    Run off = run("predict", noise.toString(), "--checkpoint-dir", ck.toString(), "--format", "json");
    assertFalse(off.out().contains("\"unknown\""), "off by default: " + off.out());
  }

  @Test
  void minConfidenceAutoUsesTheStoredThresholdAndSaysWhenThereIsNone() throws Exception {
    Run auto = run("predict", data.resolve("class_1").toString(), "--checkpoint-dir", ck.toString(),
        "--min-confidence", "auto", "--format", "json");
    assertEquals(0, auto.code(), auto.err());
    // A checkpoint from before the threshold existed: the same run with min_confidence taken out.
    Path old = dir.resolve("ck-no-threshold");
    org.apache.commons.io.FileUtils.copyDirectory(ck.toFile(), old.toFile());
    try (var files = Files.list(old)) {
      for (Path f : files.filter(p -> p.getFileName().toString().matches("ckpt-\\d+\\.json")).toList()) {
        JsonObject meta = JsonParser.parseString(Files.readString(f)).getAsJsonObject();
        meta.getAsJsonObject("metrics").remove("min_confidence");
        Files.writeString(f, meta.toString());
      }
    }
    Run none = run("predict", data.resolve("class_1").toString(), "--checkpoint-dir", old.toString(),
        "--min-confidence", "auto");
    assertEquals(1, none.code(), none.out() + none.err());
    assertEquals(1, none.err().lines().count(), none.err());
    assertTrue(none.err().contains("retrain, or pass a probability"), none.err());
  }

  @Test
  void badMinConfidenceValuesAreUsageErrors() {
    for (String bad : List.of("0", "1", "1.5", "-0.2", "often", "NaN")) {
      Run r = run("predict", data.toString(), "--checkpoint-dir", ck.toString(), "--min-confidence", bad);
      assertEquals(2, r.code(), bad + ": " + r.err());
      assertTrue(r.err().startsWith("error: --min-confidence must be auto or a probability"), r.err());
    }
  }

  @Test
  void evaluateOodDirReportsAurocAndUnknownShares() throws Exception {
    Path noise = noiseFolder("noise-evaluate", 8);
    Path json = dir.resolve("eval-ood.json");
    Run r = run("evaluate", "--data-dir", data.toString(), "--checkpoint-dir", ck.toString(), "--ood-dir",
        noise.toString(), "--json", json.toString());
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("out-of-distribution: AUROC "), r.out());
    JsonObject o = JsonParser.parseString(Files.readString(json)).getAsJsonObject();
    double auroc = o.get("ood_auroc").getAsDouble();
    assertTrue(auroc >= 0 && auroc <= 1, r.out());
    assertEquals(8, o.get("ood_images").getAsInt());
    assertTrue(o.has("min_confidence") && o.has("unknown_share") && o.has("ood_unknown_share"), o.toString());

    Run plain = run("evaluate", "--data-dir", data.toString(), "--checkpoint-dir", ck.toString(), "--json", json.toString());
    assertEquals(0, plain.code(), plain.err());
    assertFalse(JsonParser.parseString(Files.readString(json)).getAsJsonObject().has("ood_auroc"));

    Run missing = run("evaluate", "--data-dir", data.toString(), "--checkpoint-dir", ck.toString(), "--ood-dir",
        dir.resolve("no-such-folder").toString());
    assertEquals(2, missing.code(), missing.err());
    assertTrue(missing.err().startsWith("error: --ood-dir"), missing.err());
  }

  static String[] concat(String[] a, String... b) {
    String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  @Test
  void evaluateJsonIsConsistent() throws Exception {
    Path json = dir.resolve("eval.json");
    Run r = run("evaluate", "--data-dir", data.toString(), "--checkpoint-dir", ck.toString(), "--json", json.toString());
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("top-1"), r.out());
    JsonObject o = JsonParser.parseString(Files.readString(json)).getAsJsonObject();
    long n = o.get("num_images").getAsLong();
    assertEquals(6, n, "2 of 10 per class held out");
    long sum = 0;
    for (var row : o.getAsJsonArray("confusion")) {
      for (var v : row.getAsJsonArray()) {
        sum += v.getAsLong();
      }
    }
    assertEquals(n, sum);
    assertTrue(o.get("top1").getAsDouble() <= o.get("top5").getAsDouble());
    assertEquals(0, o.get("skipped").getAsInt());
    JsonObject perClass = o.getAsJsonObject("per_class");
    assertEquals(3, perClass.size());
    assertTrue(perClass.getAsJsonObject("class_0").has("precision"));
    assertTrue(perClass.getAsJsonObject("class_0").has("recall"));
    assertEquals(2, perClass.getAsJsonObject("class_0").get("support").getAsLong());
  }

  @Test
  void predictJsonNamesTheRightClassAndReportsBadFiles() throws Exception {
    Path bad = dir.resolve("bad.jpg");
    Files.writeString(bad, "not an image");
    Path img = data.resolve("class_2/img_000.png");
    Run r = run("predict", img.toString(), bad.toString(), "--checkpoint-dir", ck.toString(), "--format", "json",
        "--top-k", "2");
    assertEquals(0, r.code(), r.err());
    JsonArray a = JsonParser.parseString(r.out()).getAsJsonArray();
    assertEquals(2, a.size());
    JsonObject first = a.get(0).getAsJsonObject();
    assertEquals(img.toString(), first.get("path").getAsString());
    JsonArray preds = first.getAsJsonArray("predictions");
    assertEquals(2, preds.size());
    assertEquals("class_2", preds.get(0).getAsJsonObject().get("class_name").getAsString());
    assertEquals(2, preds.get(0).getAsJsonObject().get("class_id").getAsInt());
    assertTrue(preds.get(0).getAsJsonObject().get("probability").getAsDouble()
        >= preds.get(1).getAsJsonObject().get("probability").getAsDouble());
    JsonObject second = a.get(1).getAsJsonObject();
    assertEquals(bad.toString(), second.get("path").getAsString());
    assertTrue(second.has("error"));
    assertFalse(second.has("predictions"));
  }

  @Test
  void predictFromCheckpointAndFromExportAgreeAndCsvHasTheHeader() {
    Path export = dir.resolve("export/1");
    Run e = run("export", "--checkpoint-dir", ck.toString(), "--output", export.toString());
    assertEquals(0, e.code(), e.err());
    Path folder = data.resolve("class_1");
    Run a = run("predict", folder.toString(), "--checkpoint-dir", ck.toString(), "--format", "csv");
    Run b = run("predict", folder.toString(), "--saved-model", export.toString(), "--format", "csv");
    assertEquals(0, a.code(), a.err());
    assertTrue(a.out().startsWith("path,rank,class_name,class_id,probability\n"), a.out());
    assertEquals(1 + 10 * 3, a.out().lines().count());
    assertEquals(a.out(), b.out());
  }

  @Test
  void deviceCpuPredictsAndAMissingGpuIsOneLine() {
    Path img = data.resolve("class_2/img_000.png");
    Run cpu = run("predict", img.toString(), "--checkpoint-dir", ck.toString(), "--device", "cpu");
    assertEquals(0, cpu.code(), cpu.err());
    Run gpu = run("predict", img.toString(), "--checkpoint-dir", ck.toString(), "--device", "gpu");
    assertEquals(1, gpu.code(), gpu.out());
    assertEquals(1, gpu.err().lines().count(), gpu.err());
    assertTrue(gpu.err().startsWith("error: --device gpu:0: TensorFlow sees no such GPU"), gpu.err());
    Run bad = run("train", "--device", "tpu", "--data-dir", data.toString());
    assertEquals(2, bad.code());
    assertTrue(bad.err().startsWith("error: --device must be auto, cpu, gpu or gpu:N, got 'tpu'"), bad.err());
  }

  /** {@code predict --precision bf16} agrees with fp32, or stops in one line where bf16 is wrong here. */
  @Test
  void predictInBf16StaysCloseToFp32OrStopsInOneLine() throws Exception {
    List<Path> images;
    try (var files = Files.walk(data)) {
      images = files.filter(p -> p.toString().endsWith(".png")).sorted().limit(8).toList();
    }
    String[] paths = images.stream().map(Path::toString).toArray(String[]::new);
    double[][] fp32 = allProbabilities(run(predict(paths, "fp32")), 8);
    Run bf16Run = run(predict(paths, "bf16"));
    if (bf16Run.code() == 1) {
      assertEquals(1, bf16Run.err().lines().count(), bf16Run.err());
      assertTrue(bf16Run.err().startsWith("error: bf16 computes wrong results on this CPU ("), bf16Run.err());
      return;
    }
    assertTrue(bf16Run.err().startsWith("bf16 verified on this CPU: logit error "), bf16Run.err());
    double[][] bf16 = allProbabilities(bf16Run, 8);
    int sameTop1 = 0;
    for (int i = 0; i < 8; i++) {
      for (int c = 0; c < 3; c++) {
        // bf16 keeps 8 bits of mantissa: ~0.4 % per value, a few hundredths after 107 layers at most.
        assertEquals(fp32[i][c], bf16[i][c], 0.03, images.get(i) + " class " + c);
      }
      sameTop1 += argMax(fp32[i]) == argMax(bf16[i]) ? 1 : 0;
    }
    assertTrue(sameTop1 >= 7, sameTop1 + " of 8 images keep their top-1");
    Run bad = run("predict", paths[0], "--checkpoint-dir", ck.toString(), "--precision", "fp16");
    assertEquals(2, bad.code());
    assertTrue(bad.err().startsWith("error: --precision must be auto, fp32 or bf16, got 'fp16'"), bad.err());
  }

  /** A wrong bf16 path (injected into the self-check): auto predicts in fp32, bf16 stops, train too. */
  @Test
  void aWrongBf16PathNeverComputesAResult() {
    String img = data.resolve("class_0/img_000.png").toString();
    double[][] fp32 = allProbabilities(run(predict(new String[] {img}, "fp32")), 1);
    System.setProperty(flowers.tf.Bf16Check.FAULT_PROPERTY, "all");
    try {
      Run auto = run(predict(new String[] {img}, "auto"));
      if (flowers.tf.Precision.cpuHasBf16()) {
        assertTrue(auto.err().startsWith("bf16 computes wrong results on this CPU (conv1-64: "), auto.err());
        assertTrue(auto.err().strip().endsWith(": using fp32"), auto.err());
      }
      assertArrayEquals(fp32[0], allProbabilities(auto, 1)[0], 1e-6);

      Run bf16 = run(predict(new String[] {img}, "bf16"));
      assertEquals(1, bf16.code(), bf16.out());
      assertEquals("", bf16.out());
      assertEquals(1, bf16.err().lines().count(), bf16.err());
      assertTrue(bf16.err().startsWith("error: bf16 computes wrong results on this CPU (conv1-64: "), bf16.err());

      Path fresh = dir.resolve("ck-wrong-bf16");
      Run train = run("train", "--data-dir", data.toString(), "--checkpoint-dir", fresh.toString(), "--image-size",
          "32", "--batch-size", "8", "--max-steps", "2", "--precision", "bf16", "--no-report");
      assertEquals(1, train.code(), train.out());
      assertEquals(1, train.err().lines().count(), train.err());
      assertTrue(train.err().startsWith("error: bf16 computes wrong results on this CPU (conv1-64: "), train.err());
      assertFalse(train.out().contains("step 1"), "no step ran: " + train.out());
    } finally {
      System.clearProperty(flowers.tf.Bf16Check.FAULT_PROPERTY);
    }
  }

  /** {@code bench --json} says where it ran and in which precision, as the performance issue asks. */
  @Test
  void benchSaysWhereItRan() throws Exception {
    Path json = dir.resolve("bench.json");
    Run r = run("bench", "--image-size", "32", "--batch-size", "2", "--steps", "1", "--data-dir", data.toString(),
        "--json", json.toString());
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().startsWith("machine: "), r.out());
    JsonObject o = JsonParser.parseString(Files.readString(json)).getAsJsonObject();
    for (String key : List.of("cpu_name", "cpu_family", "cpu_model", "cores", "precision", "train_img_per_s",
        "infer_img_per_s", "latency_ms", "peak_rss_mb")) {
      assertTrue(o.has(key), key + " in " + o);
    }
    assertTrue(List.of("fp32", "bf16").contains(o.get("precision").getAsString()), o.toString());
    assertTrue(o.get("train_img_per_s").getAsDouble() > 0);
    if (Files.isReadable(Path.of("/proc/cpuinfo"))) {
      assertTrue(o.get("cpu_family").getAsInt() > 0, o.toString());
      assertTrue(o.get("cpu_model").getAsInt() >= 0, o.toString());
      assertTrue(o.has("onednn_version"), "oneDNN asked in a child JVM: " + o);
    }
    if (o.get("precision").getAsString().equals("bf16")) {
      assertTrue(o.get("bf16_check").getAsString().startsWith("bf16 verified on this CPU"), o.toString());
    }
  }

  /**
   * The recipe options: a bare --augment still means strong; AdamW and weight averages train;
   * evaluate reports the calibration; the SavedModel computes what predict does (averages and
   * temperature included).
   */
  @Test
  void recipeOptionsTrainEvaluateAndExportConsistently() throws Exception {
    Path ckRecipe = dir.resolve("ck-recipe");
    Run train = run("train", "--data-dir", data.toString(), "--checkpoint-dir", ckRecipe.toString(), "--image-size", "32",
        "--batch-size", "8", "--epochs", "2", "--augment", "--optimizer", "adamw", "--weight-decay", "0.01",
        "--ema-decay", "0.9", "--threads", "1", "--loader-threads", "1", "--no-report", "--precision", "fp32");
    assertEquals(0, train.code(), train.err());
    String config = Files.readString(ckRecipe.resolve("train-config.json"));
    assertTrue(config.contains("\"augment\": \"strong\""), config);
    assertTrue(config.contains("\"optimizer\": \"ADAMW\""), config);

    Path json = dir.resolve("eval-recipe.json");
    Run eval = run("evaluate", "--data-dir", data.toString(), "--checkpoint-dir", ckRecipe.toString(), "--json",
        json.toString());
    assertEquals(0, eval.code(), eval.err());
    assertTrue(eval.out().contains("calibration: temperature "), eval.out());
    JsonObject o = JsonParser.parseString(Files.readString(json)).getAsJsonObject();
    double t = o.get("temperature").getAsDouble();
    assertTrue(t > 0, o.toString());
    assertTrue(o.get("ece").getAsDouble() >= 0 && o.get("ece_uncalibrated").getAsDouble() >= 0, o.toString());
    if (t == 1) { // no mistake on the validation split: nothing to calibrate
      assertEquals(o.get("ece").getAsDouble(), o.get("ece_uncalibrated").getAsDouble(), 1e-6);
    }

    Path export = dir.resolve("export-recipe");
    assertEquals(0, run("export", "--checkpoint-dir", ckRecipe.toString(), "--output", export.toString()).code());
    String[] images = {data.resolve("class_0/img_000.png").toString(), data.resolve("class_1/img_002.png").toString()};
    double[][] fromCheckpoint = allProbabilities(run(predict(images, "fp32")), 2);
    List<String> args = new java.util.ArrayList<>(List.of("predict"));
    args.addAll(List.of(images));
    args.addAll(List.of("--saved-model", export.toString(), "--format", "json", "--top-k", "3"));
    // the shared model, ck, differs from ck-recipe: compare the recipe's checkpoint with its export
    List<String> ckArgs = new java.util.ArrayList<>(List.of("predict"));
    ckArgs.addAll(List.of(images));
    ckArgs.addAll(List.of("--checkpoint-dir", ckRecipe.toString(), "--format", "json", "--top-k", "3"));
    double[][] checkpoint = allProbabilities(run(ckArgs.toArray(String[]::new)), 2);
    double[][] saved = allProbabilities(run(args.toArray(String[]::new)), 2);
    for (int i = 0; i < 2; i++) {
      assertArrayEquals(checkpoint[i], saved[i], 1e-5);
    }
    assertFalse(java.util.Arrays.deepEquals(fromCheckpoint, checkpoint), "two different models");
  }

  @Test
  void badRecipeValuesAreUsageErrors() {
    for (String[] bad : List.of(new String[] {"--augment", "heavy"}, new String[] {"--optimizer", "sgd"},
        new String[] {"--ema-decay", "1"})) {
      List<String> args = new java.util.ArrayList<>(List.of("train", "--data-dir", data.toString(), "--checkpoint-dir",
          dir.resolve("ck-bad").toString(), "--image-size", "32"));
      args.addAll(List.of(bad));
      Run r = run(args.toArray(String[]::new));
      assertEquals(2, r.code(), String.join(" ", bad) + ": " + r.err());
      assertTrue(r.err().startsWith("error: " + bad[0] + " must be"), r.err());
    }
  }

  /** {@code inspect} on a folder with planted problems: what it prints and the JSON keys of the issue. */
  @Test
  void inspectReportsPlantedProblemsAndWritesTheJsonKeys() throws Exception {
    Path planted = dir.resolve("planted");
    int[] species = {6, 17};
    String[] names = {"daisy", "rose"};
    for (int k = 0; k < 2; k++) {
      Files.createDirectories(planted.resolve(names[k]));
      for (int i = 0; i < (k == 0 ? 12 : 6); i++) {
        var img = flowers.data.SyntheticFlowers.draw(species[k], 48, new java.util.Random(31L * k + i));
        Files.write(planted.resolve(names[k] + String.format("/%s_%02d.jpg", names[k], i)),
            flowers.testing.ImageCopies.jpeg(img, 0.9f));
      }
    }
    Files.copy(planted.resolve("daisy/daisy_00.jpg"), planted.resolve("daisy/daisy_00 (1).jpg"));
    var rose = javax.imageio.ImageIO.read(planted.resolve("rose/rose_03.jpg").toFile());
    Files.write(planted.resolve("daisy/looks_like_a_rose.png"),
        flowers.testing.ImageCopies.png(flowers.testing.ImageCopies.scale(rose, 40, 40)));
    Files.write(planted.resolve("rose/cut_off.jpg"), java.util.Arrays.copyOf(Files.readAllBytes(planted.resolve("rose/rose_00.jpg")), 300));
    Files.writeString(planted.resolve("rose/notes.txt"), "not a photo");

    Path json = dir.resolve("inspect.json");
    Run r = run("inspect", planted.toString(), "--json", json.toString());
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("unreadable: 2"), r.out());
    assertTrue(r.out().contains("  rose/cut_off.jpg: truncated or corrupt JPEG"), r.out());
    assertTrue(r.out().contains("across classes (one photo, two labels): 1 group"), r.out());
    assertTrue(r.out().contains("imbalance ratio 2.33"), r.out());
    JsonObject o = JsonParser.parseString(Files.readString(json)).getAsJsonObject();
    for (String key : List.of("classes", "imbalance_ratio", "unreadable", "image_sizes", "duplicates",
        "cross_class_duplicates", "split_leaks", "split")) {
      assertTrue(o.has(key), key + " in " + o.keySet());
    }
    JsonObject daisy = o.getAsJsonObject("classes").getAsJsonObject("daisy");
    assertEquals(14, daisy.get("train").getAsInt() + daisy.get("val").getAsInt());
    assertEquals(14 / 6.0, o.get("imbalance_ratio").getAsDouble(), 1e-9);
    JsonArray unreadable = o.getAsJsonArray("unreadable");
    assertEquals(2, unreadable.size());
    assertTrue(unreadable.get(0).getAsJsonObject().has("path") && unreadable.get(0).getAsJsonObject().has("reason"));
    JsonObject width = o.getAsJsonObject("image_sizes").getAsJsonObject("width");
    assertEquals(40, width.get("min").getAsInt());
    assertEquals(48, width.get("max").getAsInt());
    assertEquals(2, o.getAsJsonArray("duplicates").size(), o.getAsJsonArray("duplicates").toString());
    JsonArray cross = o.getAsJsonArray("cross_class_duplicates");
    assertEquals(1, cross.size(), cross.toString());
    assertEquals(java.util.Set.of("daisy/looks_like_a_rose.png", "rose/rose_03.jpg"),
        java.util.Set.of(cross.get(0).getAsJsonArray().get(0).getAsString(), cross.get(0).getAsJsonArray().get(1).getAsString()));
    assertEquals(0, o.getAsJsonArray("split_leaks").size());
    JsonObject split = o.getAsJsonObject("split");
    assertEquals(20, split.size(), "every image that decodes");
    assertTrue(split.entrySet().stream().allMatch(e -> List.of("train", "val").contains(e.getValue().getAsString())));

    for (String[] args : List.of(new String[] {"inspect"}, new String[] {"inspect", dir.resolve("missing").toString()},
        new String[] {"inspect", planted.toString(), "--val-fraction", "1.5"})) {
      Run bad = run(args);
      assertEquals(2, bad.code(), String.join(" ", args) + "\n" + bad.err());
      assertTrue(bad.err().startsWith("error: "), bad.err());
      assertFalse(bad.err().contains("\tat "), bad.err());
    }
    assertHelp("inspect", "DATA_DIR", "--json", "--val-fraction", "--seed", "--checkpoint-dir");
    assertTrue(run("--help").out().contains("inspect"));
  }

  /**
   * A checkpoint from before split rules were recorded keeps the split it trained with: inspect and
   * evaluate both use the old rule for it. And evaluating on a grown folder says what joined.
   */
  @Test
  void anOldCheckpointEvaluatesOnItsOldSplitAndAGrownFolderSaysWhatJoined() throws Exception {
    Path old = dir.resolve("ck-old");
    org.apache.commons.io.FileUtils.copyDirectory(ck.toFile(), old.toFile());
    try (var files = Files.list(old)) {
      for (Path meta : files.filter(p -> p.getFileName().toString().matches("ckpt-\\d+\\.json")).toList()) {
        Files.writeString(meta, Files.readString(meta).replaceAll(",\\s*\"split_rule\": \"[a-z0-9-]+\"", ""));
      }
    }
    Path json = dir.resolve("old-split.json");
    Run inspect = run("inspect", data.toString(), "--checkpoint-dir", old.toString(), "--json", json.toString());
    assertEquals(0, inspect.code(), inspect.err());
    JsonObject o = JsonParser.parseString(Files.readString(json)).getAsJsonObject();
    assertEquals("shuffle-v1", o.get("split_rule").getAsString());
    var legacy = flowers.data.Split.stratified(flowers.data.DatasetScan.scan(data), 0.2, 42);
    List<String> val = o.getAsJsonObject("split").entrySet().stream().filter(e -> e.getValue().getAsString().equals("val"))
        .map(java.util.Map.Entry::getKey).sorted().toList();
    assertEquals(legacy.val().stream().map(i -> flowers.data.Split.relative(data, i.path())).sorted().toList(), val);

    Path evalJson = dir.resolve("old-eval.json");
    Run eval = run("evaluate", "--data-dir", data.toString(), "--checkpoint-dir", old.toString(), "--json", evalJson.toString());
    assertEquals(0, eval.code(), eval.err());
    assertEquals(legacy.val().size(), JsonParser.parseString(Files.readString(evalJson)).getAsJsonObject().get("num_images").getAsInt());
    // The old split may put near duplicates on both sides; evaluate says so exactly when inspect finds it.
    assertEquals(o.getAsJsonArray("split_leaks").size() > 0, eval.err().contains("across train and validation"), eval.err());

    Path grown = dir.resolve("grown");
    org.apache.commons.io.FileUtils.copyDirectory(data.toFile(), grown.toFile());
    for (int i = 0; i < 3; i++) {
      var img = flowers.data.SyntheticFlowers.draw(i, 40, new java.util.Random(77 + i));
      Files.write(grown.resolve("class_" + i + "/new_" + i + ".jpg"), flowers.testing.ImageCopies.jpeg(img, 0.9f));
    }
    Run e2 = run("evaluate", "--data-dir", grown.toString(), "--checkpoint-dir", ck.toString());
    assertEquals(0, e2.code(), e2.err());
    assertTrue(e2.err().contains("the dataset changed since "), e2.err());
    assertTrue(e2.err().contains(": 3 new images joined ("), e2.err());
    assertEquals(1, e2.err().lines().filter(l -> l.contains("new images joined")).count());
  }

  /** Issue 16 item 3: balanced accuracy in evaluate's JSON, and --class-weights on train. */
  @Test
  void evaluateReportsBalancedAccuracyAndTrainTakesClassWeights() throws Exception {
    Path json = dir.resolve("eval-balanced.json");
    Run r = run("evaluate", "--data-dir", data.toString(), "--checkpoint-dir", ck.toString(), "--json", json.toString());
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("balanced accuracy (macro recall) "), r.out());
    JsonObject o = JsonParser.parseString(Files.readString(json)).getAsJsonObject();
    double mean = 0;
    for (var e : o.getAsJsonObject("per_class").entrySet()) {
      mean += e.getValue().getAsJsonObject().get("recall").getAsDouble() / 3;
    }
    assertEquals(mean, o.get("macro_recall").getAsDouble(), 1e-12);
    assertEquals(mean, o.get("balanced_accuracy").getAsDouble(), 1e-12);

    Run bad = run("train", "--data-dir", data.toString(), "--class-weights", "inverse");
    assertEquals(2, bad.code(), bad.err());
    assertTrue(bad.err().startsWith("error: --class-weights must be none or balanced, got 'inverse'"), bad.err());
    assertHelp("train", "--class-weights");
    Run badSampling = run("train", "--data-dir", data.toString(), "--sampling", "oversample");
    assertEquals(2, badSampling.code(), badSampling.err());
    assertTrue(badSampling.err().startsWith("error: --sampling must be uniform or balanced, got 'oversample'"), badSampling.err());
    assertHelp("train", "--sampling");
  }

  private String[] predict(String[] images, String precision) {
    List<String> args = new java.util.ArrayList<>(List.of("predict"));
    args.addAll(List.of(images));
    args.addAll(List.of("--checkpoint-dir", ck.toString(), "--format", "json", "--top-k", "3", "--precision", precision));
    return args.toArray(String[]::new);
  }

  /** Probabilities by class id, one row per image, from {@code predict --format json}. */
  private static double[][] allProbabilities(Run r, int images) {
    assertEquals(0, r.code(), r.err());
    JsonArray results = JsonParser.parseString(r.out()).getAsJsonArray();
    assertEquals(images, results.size());
    double[][] p = new double[images][3];
    for (int i = 0; i < images; i++) {
      for (var e : results.get(i).getAsJsonObject().getAsJsonArray("predictions")) {
        JsonObject o = e.getAsJsonObject();
        p[i][o.get("class_id").getAsInt()] = o.get("probability").getAsDouble();
      }
    }
    return p;
  }

  private static int argMax(double[] v) {
    int best = 0;
    for (int i = 1; i < v.length; i++) {
      best = v[i] > v[best] ? i : best;
    }
    return best;
  }

  // ---- one run, one identity (issue 13)

  /**
   * {@code --checkpoint PATH} loads exactly that path. other/ckpt-00000018 holds the weights of
   * step 15 under the name of a checkpoint that also exists, with other weights, in --checkpoint-dir.
   */
  @Test
  void checkpointPathLoadsThatPathInEvaluatePredictAndExport() throws Exception {
    var m = new flowers.checkpoint.CheckpointManager(ck, 5, w -> {});
    var step15 = m.resolve("ckpt-00000015");
    Path other = dir.resolve("other");
    Files.createDirectories(other);
    String name = "ckpt-00000018";
    Files.copy(ck.resolve("ckpt-00000015.index"), other.resolve(name + ".index"));
    Files.copy(ck.resolve("ckpt-00000015.data-00000-of-00001"), other.resolve(name + ".data-00000-of-00001"));
    Files.writeString(other.resolve(name + ".json"), flowers.json.Json.GSON.toJson(
        step15.toBuilder().files(name, step15.indexBytes(), step15.dataBytes(), step15.savedAt()).build()));
    String path = other.resolve(name).toString();
    Path folder = data.resolve("class_1");

    Run viaPath = run("predict", folder.toString(), "--checkpoint-dir", ck.toString(), "--checkpoint", path, "--format", "csv");
    Run at15 = run("predict", folder.toString(), "--checkpoint-dir", ck.toString(), "--checkpoint", "ckpt-00000015", "--format", "csv");
    assertEquals(0, viaPath.code(), viaPath.err());
    // JSON, all digits: a calibrated, confident model can print the same six decimals at both steps.
    Run at15Json = run("predict", folder.toString(), "--checkpoint-dir", ck.toString(), "--checkpoint", "ckpt-00000015", "--format", "json");
    Run at18Json = run("predict", folder.toString(), "--checkpoint-dir", ck.toString(), "--checkpoint", name, "--format", "json");
    assertFalse(at15Json.out().equals(at18Json.out()), "steps 15 and 18 differ, or this test proves nothing");
    assertEquals(at15.out(), viaPath.out(), "predict");

    Run evalPath = run("evaluate", "--data-dir", data.toString(), "--checkpoint-dir", ck.toString(), "--checkpoint", path);
    Run eval15 = run("evaluate", "--data-dir", data.toString(), "--checkpoint-dir", ck.toString(), "--checkpoint", "ckpt-00000015");
    assertEquals(0, evalPath.code(), evalPath.err());
    assertEquals(metricsLine(eval15.out()), metricsLine(evalPath.out()), "evaluate");

    Path export = dir.resolve("export-other");
    Run e = run("export", "--checkpoint-dir", ck.toString(), "--checkpoint", path, "--output", export.toString());
    assertEquals(0, e.code(), e.err());
    Run served = run("predict", folder.toString(), "--saved-model", export.toString(), "--format", "csv");
    assertEquals(at15.out(), served.out(), "export");
  }

  private static String metricsLine(String out) {
    return out.lines().filter(l -> l.startsWith("top-1 ")).findFirst().orElseThrow(() -> new AssertionError(out));
  }

  /** On resume, options left out keep the run's values; only what is typed changes it. */
  @Test
  void resumingWithoutOptionsKeepsTheRunsOwn() {
    Path fresh = dir.resolve("ck-own-options");
    Run first = run("train", "--data-dir", data.toString(), "--checkpoint-dir", fresh.toString(), "--image-size", "32",
        "--batch-size", "8", "--epochs", "3", "--max-steps", "2", "--threads", "1", "--loader-threads", "1",
        "--no-report");
    assertEquals(0, first.code(), first.err());
    Run again = run("train", "--data-dir", data.toString(), "--checkpoint-dir", fresh.toString(), "--max-steps", "3",
        "--threads", "1", "--loader-threads", "1", "--no-report");
    assertEquals(0, again.code(), again.err());
    assertTrue(again.out().contains("resuming from ckpt-00000002"), again.out());
    assertTrue(again.out().contains("at 32 px") && again.out().contains("batch 8, 3 steps/epoch, 3 epochs"), again.out());
  }

  /** A folder's broken link named .jpg and its WebP photo get error entries, as single files do. */
  @Test
  void predictOnAFolderReportsWhatItCannotRead() throws Exception {
    Path photos = dir.resolve("photos");
    Files.createDirectories(photos);
    Files.copy(data.resolve("class_2/img_000.png"), photos.resolve("rose.png"));
    Files.createSymbolicLink(photos.resolve("gone.jpg"), photos.resolve("nowhere.jpg"));
    Files.write(photos.resolve("shot.webp"), WEBP);
    Files.writeString(photos.resolve("notes.txt"), "not a photo: left out");
    Run r = run("predict", photos.toString(), "--checkpoint-dir", ck.toString(), "--format", "json");
    assertEquals(0, r.code(), r.err());
    JsonArray a = JsonParser.parseString(r.out()).getAsJsonArray();
    assertEquals(3, a.size(), r.out());
    assertEquals(photos.resolve("gone.jpg").toString(), a.get(0).getAsJsonObject().get("path").getAsString());
    assertEquals("broken symbolic link", a.get(0).getAsJsonObject().get("error").getAsString());
    assertTrue(a.get(1).getAsJsonObject().has("predictions"));
    assertEquals("unsupported format (webp): convert it to JPEG or PNG",
        a.get(2).getAsJsonObject().get("error").getAsString());

    Path webp = dir.resolve("webp-only");
    Files.createDirectories(webp);
    Files.write(webp.resolve("a.webp"), WEBP);
    Files.write(webp.resolve("b.WEBP"), WEBP);
    Run w = run("predict", webp.toString(), "--checkpoint-dir", ck.toString());
    assertEquals(1, w.code(), w.out() + w.err());
    assertEquals(2, w.out().lines().filter(l -> l.contains("error: unsupported format (webp)")).count(), w.out());
    assertEquals(1, w.err().lines().count(), w.err());
    assertTrue(w.err().startsWith("error: "), w.err());
  }

  static final byte[] WEBP = java.util.Base64.getDecoder().decode("UklGRiIAAABXRUJQVlA4IBYAAAAwAQCdASoBAAEADsD+JaQAA3AAAAAA");
}

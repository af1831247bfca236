package flowers.serve;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import flowers.checkpoint.CheckpointManager;
import flowers.checkpoint.CheckpointMetadata;
import flowers.model.Names;
import flowers.testing.EasyImages;
import flowers.tf.Device;
import flowers.tf.Precision;
import flowers.tf.SessionOptions;
import flowers.tf.Tensors;
import flowers.train.LearningRateSchedule;
import flowers.train.StopSignal;
import flowers.train.TrainConfig;
import flowers.train.Trainer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.NdArrays;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.SignatureDef;
import org.tensorflow.proto.TensorInfo;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.TString;

/** A tiny model trained once, then served from its checkpoint and from its SavedModel. */
class ServeTest {
  static final int SIZE = 32;
  @TempDir static Path dir;
  static Path data;
  static CheckpointManager checkpoints;
  static CheckpointMetadata meta;
  static Path exported;

  @BeforeAll
  static void trainAndExport() throws Exception {
    data = EasyImages.write(dir.resolve("data"), 3, 10, 48, 3);
    TrainConfig config = TrainConfig.builder(data, dir.resolve("ck")).imageSize(SIZE).batchSize(8).epochs(6)
        .learningRate(2e-3f).seed(1).saveEvery(100).keep(2).threads(1).loaderThreads(1).resume(false)
        .schedule(LearningRateSchedule.Kind.CONSTANT).warmupSteps(0).precision(Precision.FP32).logEvery(100)
        .device(Device.CPU).build();
    try (StopSignal stop = StopSignal.manual()) {
      new Trainer(config, new PrintStream(new ByteArrayOutputStream()), w -> {}, stop).run();
    }
    checkpoints = new CheckpointManager(dir.resolve("ck"), 2, w -> {});
    meta = checkpoints.resolve("latest");
    exported = Exporter.export(checkpoints, meta, dir.resolve("export/flowers/1")).dir();
  }

  /**
   * Two images of each class (six in all): a sample of one class would let a model that answers
   * that class for everything pass as having learnt.
   */
  static List<Path> someImages() throws Exception {
    try (var s = Files.walk(data)) {
      var byClass = s.filter(Files::isRegularFile).sorted()
          .collect(java.util.stream.Collectors.groupingBy(Path::getParent, java.util.TreeMap::new,
              java.util.stream.Collectors.toList()));
      return byClass.values().stream().flatMap(images -> images.stream().limit(2)).toList();
    }
  }

  @Test
  void checkpointAndSavedModelGiveTheSameProbabilities() throws Exception {
    try (Classifier ckpt = Classifier.fromCheckpoint(checkpoints, meta, SessionOptions.of(1, Precision.FP32));
        Classifier saved = Classifier.fromSavedModel(exported)) {
      assertEquals(ckpt.classNames(), saved.classNames());
      assertEquals(SIZE, saved.imageSize());
      for (Path p : someImages()) {
        float[] x = ckpt.decode(p);
        assertArrayEquals(ckpt.probabilities(x, 1), saved.probabilities(x, 1), 1e-5f, p.toString());
      }
    }
  }

  @Test
  void theShortRunLearnedTheEasySet() throws Exception {
    try (Classifier c = Classifier.load(exported)) {
      int right = 0;
      List<Path> images = someImages();
      for (Path p : images) {
        String expected = p.getParent().getFileName().toString();
        if (c.classify(p, 1).get(0).className().equals(expected)) {
          right++;
        }
      }
      assertEquals(3, images.stream().map(Path::getParent).distinct().count(), "every class in the sample");
      assertTrue(right >= images.size() - 1, right + " of " + images.size());
    }
  }

  /** The commands' doors: what evaluate and predict print, as values, from one call each. */
  @Test
  void evaluateAndPredictAreLibraryCalls() throws Exception {
    List<String> warnings = new ArrayList<>();
    Evaluate.Result all = Evaluate.run(Evaluate.Config.of(data, dir.resolve("ck")).withSplit("all"), warnings::add,
        warnings::add);
    assertEquals(30, all.report().numImages());
    assertEquals("all", all.report().split());
    assertEquals(meta.name(), all.report().checkpoint());
    assertEquals(all.outcome().matrix().top1(), all.report().top1());
    assertTrue(all.report().top1() >= 0.8, "the easy set was learnt: " + all.report().top1());
    // A photo filed under two labels: the data check says so, to the caller's callback, not to stderr.
    // (EasyImages' discs of different colours used to do it by themselves, a false near duplicate.)
    Path twice = dir.resolve("twice");
    try (var s = Files.walk(data)) {
      for (Path p : s.sorted().toList()) {
        Files.copy(p, twice.resolve(data.relativize(p).toString()));
      }
    }
    Files.copy(twice.resolve("class_0/img_000.png"), twice.resolve("class_1/img_000_again.png"));
    List<String> told = new ArrayList<>();
    Evaluate.run(Evaluate.Config.of(twice, dir.resolve("ck")).withSplit("all"), told::add, told::add);
    assertTrue(told.stream().anyMatch(w -> w.contains("1 duplicate group across classes")), told.toString());
    Evaluate.Result val = Evaluate.run(Evaluate.Config.of(data, dir.resolve("ck")), warnings::add, warnings::add);
    assertTrue(val.report().numImages() > 0 && val.report().numImages() < 30, "the run's held-out images");
    assertThrows(IllegalArgumentException.class, () -> Evaluate.Config.of(data, dir.resolve("ck")).withSplit("train"));

    Predict.Result p = Predict.run(Predict.Config.of(someImages(), dir.resolve("ck")).withTopK(2), warnings::add,
        warnings::add);
    assertEquals(6, p.classified());
    assertTrue(p.results().stream().allMatch(r -> r.predictions().size() == 2));
    assertTrue(Double.isNaN(p.threshold()));
    Predict.Result saved = Predict.run(Predict.Config.of(someImages(), dir.resolve("ck")).withSavedModel(exported),
        warnings::add, warnings::add);
    for (int i = 0; i < 6; i++) {
      assertEquals(p.results().get(i).predictions().get(0).className(),
          saved.results().get(i).predictions().get(0).className());
    }
    assertThrows(IllegalArgumentException.class,
        () -> Predict.Config.of(someImages(), dir.resolve("ck")).withMinConfidence("1.5"));
  }

  @Test
  void theExportHoldsNoTrainingOps() {
    try (SavedModelBundle b = SavedModelBundle.load(exported.toString(), Names.SERVE_TAG)) {
      Set<String> types = new HashSet<>();
      b.graph().operations().forEachRemaining(op -> types.add(op.type()));
      assertFalse(types.contains("ApplyAdam"), types.toString());
      b.graph().operations().forEachRemaining(op -> assertFalse(op.name().startsWith("gradients"), op.name()));
      assertFalse(types.contains("Conv2DBackpropFilter"));
    }
  }

  @Test
  void signaturesHaveTheDocumentedNamesTypesAndShapes() {
    try (SavedModelBundle b = SavedModelBundle.load(exported.toString(), Names.SERVE_TAG)) {
      Map<String, SignatureDef> sigs = b.metaGraphDef().getSignatureDefMap();
      SignatureDef pixels = sigs.get(Names.SERVING_DEFAULT);
      SignatureDef bytes = sigs.get(Names.SERVE_IMAGE_BYTES);
      assertInfo(pixels.getInputsMap().get("images"), DataType.DT_FLOAT, -1, SIZE, SIZE, 3);
      assertInfo(bytes.getInputsMap().get("image_bytes"), DataType.DT_STRING, -1);
      for (SignatureDef s : List.of(pixels, bytes)) {
        assertEquals(Set.of("probabilities", "class_ids", "class_names", "accepted"), s.getOutputsMap().keySet());
        assertInfo(s.getOutputsMap().get("accepted"), DataType.DT_BOOL, -1);
        assertInfo(s.getOutputsMap().get("probabilities"), DataType.DT_FLOAT, -1, 3);
        assertInfo(s.getOutputsMap().get("class_ids"), DataType.DT_INT64, -1);
        assertInfo(s.getOutputsMap().get("class_names"), DataType.DT_STRING, -1);
      }
    }
  }

  @Test
  void theSavedModelCarriesTheCheckpointsThreshold() {
    assertFalse(Double.isNaN(meta.minConfidence()), "training stored min_confidence: " + meta.metrics());
    try (Classifier saved = Classifier.fromSavedModel(exported);
        Classifier ckpt = Classifier.fromCheckpoint(checkpoints, meta, SessionOptions.of(1, Precision.FP32))) {
      assertEquals((float) meta.minConfidence(), (float) saved.minConfidence());
      assertEquals(meta.minConfidence(), ckpt.minConfidence());
    }
  }

  /** The checkpoint's metadata with its "unknown" threshold replaced (NaN removes it). */
  static CheckpointMetadata withThreshold(CheckpointMetadata m, double t) {
    Map<String, Double> metrics = new java.util.LinkedHashMap<>(m.metrics());
    metrics.remove(CheckpointMetadata.MIN_CONFIDENCE);
    if (!Double.isNaN(t)) {
      metrics.put(CheckpointMetadata.MIN_CONFIDENCE, t);
    }
    return m.toBuilder().metrics(metrics).build();
  }

  @Test
  void acceptedInTheSavedModelIsPredictsDecision() throws Exception {
    // The tiny model is certain (1.0f) of its own training images: noise gives it less certain ones.
    List<Path> files = new java.util.ArrayList<>(someImages());
    Random random = new Random(11);
    for (int i = 0; i < 10; i++) {
      java.awt.image.BufferedImage noise = new java.awt.image.BufferedImage(SIZE, SIZE, java.awt.image.BufferedImage.TYPE_INT_RGB);
      for (int y = 0; y < SIZE; y++) {
        for (int x = 0; x < SIZE; x++) {
          noise.setRGB(x, y, random.nextInt(1 << 24));
        }
      }
      Path file = dir.resolve("noise-" + i + ".png");
      ImageIO.write(noise, "png", file.toFile());
      files.add(file);
    }
    // The second smallest distinct top probability, so both answers occur and the least confident
    // images sit exactly at a float boundary.
    double[] top;
    try (Classifier c = Classifier.fromCheckpoint(checkpoints, meta, SessionOptions.of(1, Precision.FP32))) {
      top = Predictor.predict(c, files, 1, 8).stream().mapToDouble(r -> r.predictions().get(0).probability())
          .sorted().toArray();
    }
    int k = 1;
    while (k < top.length && top[k] == top[0]) {
      k++;
    }
    assertTrue(k < top.length, "all top probabilities equal: " + top[0]);
    double threshold = top[k];
    Path out = Exporter.export(checkpoints, withThreshold(meta, threshold), dir.resolve("export-threshold")).dir();
    try (SavedModelBundle b = SavedModelBundle.load(out.toString(), Names.SERVE_TAG);
        Classifier c = Classifier.fromSavedModel(out)) {
      assertEquals((float) threshold, (float) c.minConfidence());
      List<PredictionResult> predicted = Predictor.predict(c, files, 1, 8, c.minConfidence());
      int pixels = SIZE * SIZE * 3;
      float[] x = new float[files.size() * pixels];
      for (int i = 0; i < files.size(); i++) {
        System.arraycopy(c.decode(files.get(i)), 0, x, i * pixels, pixels);
      }
      byte[][] encoded = new byte[files.size()][];
      for (int i = 0; i < files.size(); i++) {
        encoded[i] = Files.readAllBytes(files.get(i));
      }
      try (TFloat32 images = Tensors.images(x, files.size(), SIZE);
          TString bytes = TString.tensorOfBytes(NdArrays.vectorOfObjects(encoded));
          Result viaPixels = b.function(Names.SERVING_DEFAULT).call(Map.of("images", images));
          Result viaBytes = b.function(Names.SERVE_IMAGE_BYTES).call(Map.of("image_bytes", bytes))) {
        TBool accepted = (TBool) viaPixels.get(Names.ACCEPTED).orElseThrow();
        TBool acceptedBytes = (TBool) viaBytes.get(Names.ACCEPTED).orElseThrow();
        int unknown = 0;
        for (int i = 0; i < files.size(); i++) {
          boolean isUnknown = predicted.get(i).isUnknown();
          unknown += isUnknown ? 1 : 0;
          assertEquals(!isUnknown, accepted.getBoolean(i), files.get(i).toString());
          assertEquals(!isUnknown, acceptedBytes.getBoolean(i), files.get(i).toString());
        }
        assertTrue(unknown > 0 && unknown < files.size(), unknown + " of " + files.size() + " unknown");
      }
    }
  }

  @Test
  void withoutAThresholdEveryImageIsAccepted() throws Exception {
    Path out = Exporter.export(checkpoints, withThreshold(meta, Double.NaN), dir.resolve("export-none")).dir();
    try (SavedModelBundle b = SavedModelBundle.load(out.toString(), Names.SERVE_TAG);
        Classifier c = Classifier.fromSavedModel(out)) {
      assertTrue(Double.isNaN(c.minConfidence()));
      List<Path> files = someImages();
      int pixels = SIZE * SIZE * 3;
      float[] x = new float[files.size() * pixels];
      for (int i = 0; i < files.size(); i++) {
        System.arraycopy(c.decode(files.get(i)), 0, x, i * pixels, pixels);
      }
      try (TFloat32 images = Tensors.images(x, files.size(), SIZE);
          Result r = b.function(Names.SERVING_DEFAULT).call(Map.of("images", images))) {
        TBool accepted = (TBool) r.get(Names.ACCEPTED).orElseThrow();
        for (int i = 0; i < files.size(); i++) {
          assertTrue(accepted.getBoolean(i));
        }
      }
      assertTrue(Predictor.predict(c, files, 1, 8, c.minConfidence()).stream().noneMatch(PredictionResult::isUnknown));
    }
  }

  static void assertInfo(TensorInfo info, DataType type, long... dims) {
    assertEquals(type, info.getDtype());
    long[] actual = info.getTensorShape().getDimList().stream().mapToLong(d -> d.getSize()).toArray();
    assertArrayEquals(dims, actual);
  }

  @Test
  void imageBytesSignatureEqualsPixelsSignatureOnTheSameFiles() throws Exception {
    Path jpg = dir.resolve("probe.jpg");
    Path png = dir.resolve("probe.png");
    ImageIO.write(EasyImages.image(1, 57, new Random(5)), "jpg", jpg.toFile());
    ImageIO.write(EasyImages.image(2, 80, new Random(6)), "png", png.toFile());
    try (SavedModelBundle b = SavedModelBundle.load(exported.toString(), Names.SERVE_TAG);
        Classifier c = Classifier.fromSavedModel(exported)) {
      float[] pixels = new float[2 * SIZE * SIZE * 3];
      System.arraycopy(c.decode(jpg), 0, pixels, 0, SIZE * SIZE * 3);
      System.arraycopy(c.decode(png), 0, pixels, SIZE * SIZE * 3, SIZE * SIZE * 3);
      float[] viaPixels;
      try (TFloat32 x = Tensors.images(pixels, 2, SIZE);
          Result r = b.function(Names.SERVING_DEFAULT).call(Map.of("images", x))) {
        viaPixels = Tensors.toArray((TFloat32) r.get("probabilities").orElseThrow());
      }
      byte[][] files = {Files.readAllBytes(jpg), Files.readAllBytes(png)};
      try (TString x = TString.tensorOfBytes(NdArrays.vectorOfObjects(files));
          Result r = b.function(Names.SERVE_IMAGE_BYTES).call(Map.of("image_bytes", x))) {
        float[] viaBytes = Tensors.toArray((TFloat32) r.get("probabilities").orElseThrow());
        assertArrayEquals(viaPixels, viaBytes, 1e-5f);
        TInt64 ids = (TInt64) r.get("class_ids").orElseThrow();
        TString names = (TString) r.get("class_names").orElseThrow();
        assertEquals(2, ids.shape().size());
        assertEquals(c.classNames().get((int) ids.getLong(0)), names.getObject(0));
      }
    }
  }
}

package flowers.serve;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
    TrainConfig config = new TrainConfig(data, dir.resolve("ck"), SIZE, 8, 6, 0, 2e-3f, 0.2, 1, 100, 2, 1, 1, false,
        LearningRateSchedule.Kind.CONSTANT, 0, 0f, 0f, false, 0, false, false, Precision.FP32, 100, Device.CPU);
    try (StopSignal stop = StopSignal.manual()) {
      new Trainer(config, new PrintStream(new ByteArrayOutputStream()), w -> {}, stop).run();
    }
    checkpoints = new CheckpointManager(dir.resolve("ck"), 2, w -> {});
    meta = checkpoints.resolve("latest");
    exported = Exporter.export(checkpoints, meta, dir.resolve("export/flowers/1")).dir();
  }

  static List<Path> someImages() throws Exception {
    try (var s = Files.walk(data)) {
      return s.filter(Files::isRegularFile).sorted().limit(6).toList();
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
      assertTrue(right >= images.size() - 1, right + " of " + images.size());
    }
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
        assertEquals(Set.of("probabilities", "class_ids", "class_names"), s.getOutputsMap().keySet());
        assertInfo(s.getOutputsMap().get("probabilities"), DataType.DT_FLOAT, -1, 3);
        assertInfo(s.getOutputsMap().get("class_ids"), DataType.DT_INT64, -1);
        assertInfo(s.getOutputsMap().get("class_names"), DataType.DT_STRING, -1);
      }
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

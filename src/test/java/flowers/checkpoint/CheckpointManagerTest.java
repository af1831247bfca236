package flowers.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import flowers.model.ModelConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

class CheckpointManagerTest {
  @TempDir Path dir;
  final List<String> warnings = new ArrayList<>();

  static CheckpointMetadata meta(long step, Double valTop1) {
    Map<String, Double> metrics = valTop1 == null ? Map.of() : Map.of(CheckpointMetadata.VAL_TOP1, valTop1);
    return CheckpointMetadata.builder().step(step).model(new ModelConfig(64, 2, 42)).classNames(List.of("a", "b"))
        .seed(42).valFraction(0.2).fileListHash("hash").metrics(metrics).build();
  }

  /** A graph with one variable; {@code set} assigns it so saves differ. */
  static final class Tiny implements AutoCloseable {
    final Graph g = new Graph();
    final Ops tf = Ops.create(g);
    final Variable<TFloat32> v = tf.withName("v").variable(tf.constant(new float[] {1f, 2f}));
    final Session s = new Session(g);

    void set(float x) {
      s.run(tf.assign(v, tf.constant(new float[] {x, x})));
    }

    float get() {
      try (Result r = s.runner().fetch(v).run()) {
        return ((TFloat32) r.get(0)).getFloat(0);
      }
    }

    @Override
    public void close() {
      s.close();
      g.close();
    }
  }

  @Test
  void keepsTheLastNAndTheBest() {
    CheckpointManager m = new CheckpointManager(dir, 2, warnings::add);
    try (Tiny t = new Tiny()) {
      t.set(0);
      m.save(t.s, meta(10, 0.9));
      m.save(t.s, meta(20, 0.5));
      m.save(t.s, meta(30, 0.6));
      m.save(t.s, meta(40, null));
    }
    List<Long> steps = m.list().stream().map(CheckpointMetadata::step).toList();
    assertEquals(List.of(10L, 30L, 40L), steps);
    assertEquals(40, m.latest().orElseThrow().step());
    assertEquals(10, m.best().orElseThrow().step());
    assertEquals(10, m.resolve("best").step());
    assertFalse(Files.exists(dir.resolve("ckpt-00000020.index")));
  }

  @Test
  void restoresWhatWasSaved() {
    CheckpointManager m = new CheckpointManager(dir, 3, warnings::add);
    CheckpointMetadata saved;
    try (Tiny t = new Tiny()) {
      t.set(7f);
      saved = m.save(t.s, meta(5, null));
    }
    try (Tiny t = new Tiny()) {
      t.s.restore(m.prefix(m.resolve(saved.name())));
      assertEquals(7f, t.get());
    }
    assertEquals(saved, m.resolve(dir.resolve(saved.name()).toString()));
    assertEquals(saved, m.resolve(dir.resolve(saved.name()) + ".index"));
  }

  @Test
  void aTruncatedOrIncompleteCheckpointIsNeverLatest() throws IOException {
    CheckpointManager m = new CheckpointManager(dir, 5, warnings::add);
    try (Tiny t = new Tiny()) {
      m.save(t.s, meta(1, null));
      m.save(t.s, meta(2, null));
      m.save(t.s, meta(3, null));
    }
    Path data2 = dir.resolve("ckpt-00000002.data-00000-of-00001");
    Files.write(data2, new byte[] {1, 2, 3});
    Files.delete(dir.resolve("ckpt-00000003.index"));
    assertEquals(1, m.latest().orElseThrow().step());
    assertTrue(warnings.stream().anyMatch(w -> w.contains("ckpt-00000003") && w.contains("missing")), warnings.toString());
    assertTrue(warnings.stream().anyMatch(w -> w.contains("ckpt-00000002") && w.contains("bytes")), warnings.toString());
  }

  @Test
  void leftoversOfACrashedSaveAreIgnored() throws IOException {
    CheckpointManager m = new CheckpointManager(dir, 5, warnings::add);
    try (Tiny t = new Tiny()) {
      m.save(t.s, meta(1, null));
    }
    // A crash between the bundle and the metadata leaves files without a .json: not a checkpoint.
    Files.writeString(dir.resolve("ckpt-00000009.index"), "partial");
    Files.createDirectories(dir.resolve(".tmp-ckpt-00000009-123"));
    Files.writeString(dir.resolve("ckpt-00000008.json"), "{ not json");
    assertEquals(1, m.latest().orElseThrow().step());
  }

  @Test
  void anUnwritableFolderFailsWithAClearMessage() throws IOException {
    Path file = dir.resolve("not-a-folder");
    Files.writeString(file, "x");
    CheckpointManager m = new CheckpointManager(file.resolve("sub"), 5, warnings::add);
    try (Tiny t = new Tiny()) {
      CheckpointException e = assertThrows(CheckpointException.class, () -> m.save(t.s, meta(1, null)));
      assertTrue(e.getMessage().startsWith("could not save checkpoint"), e.getMessage());
    }
  }

  @Test
  void noCheckpointIsAClearError() {
    CheckpointManager m = new CheckpointManager(dir.resolve("none"), 5, warnings::add);
    CheckpointException e = assertThrows(CheckpointException.class, () -> m.resolve("latest"));
    assertTrue(e.getMessage().contains("run train first"), e.getMessage());
  }

  /** A checkpoint named by a path in another folder restores from that folder, not from this one's namesake. */
  @Test
  void aCheckpointPathRestoresThatPath() {
    Path other = dir.resolve("other");
    CheckpointManager here = new CheckpointManager(dir, 5, warnings::add);
    try (Tiny t = new Tiny()) {
      t.set(7f);
      here.save(t.s, meta(5, null));
      t.set(9f);
      new CheckpointManager(other, 5, warnings::add).save(t.s, meta(5, null));
    }
    try (Tiny t = new Tiny()) {
      here.restore(t.s, here.resolve(other.resolve("ckpt-00000005").toString()));
      assertEquals(9f, t.get());
      here.restore(t.s, here.resolve("ckpt-00000005"));
      assertEquals(7f, t.get());
    }
  }

  static CheckpointMetadata ofRun(String runId, long step, Double valTop1) {
    return meta(step, valTop1).toBuilder().run(runId, 0, null).build();
  }

  /** Pruning is per run: a save never deletes another run's checkpoints, nor itself. */
  @Test
  void pruningKeepsToItsOwnRun() {
    CheckpointManager m = new CheckpointManager(dir, 1, warnings::add);
    try (Tiny t = new Tiny()) {
      m.save(t.s, ofRun("old", 50, 0.6));
      m.save(t.s, ofRun("old", 60, null));
      CheckpointMetadata mine = m.save(t.s, ofRun("new", 3, null));
      assertTrue(Files.exists(dir.resolve(mine.name() + ".index")), "the checkpoint just saved is kept");
      m.save(t.s, ofRun("new", 4, null));
    }
    assertEquals(List.of(4L, 50L, 60L), m.list().stream().map(CheckpointMetadata::step).toList(),
        "the new run keeps its last one; the old run keeps its best and its last");
    assertEquals("new", m.resolve("ckpt-00000004").runId());
  }

  @Test
  void setAsideMovesTheRunWholeAndLeavesOtherFiles() throws IOException {
    CheckpointManager m = new CheckpointManager(dir, 5, warnings::add);
    try (Tiny t = new Tiny()) {
      t.set(5f);
      m.save(t.s, ofRun("r1", 1, 0.5));
      m.save(t.s, ofRun("r1", 2, null));
    }
    Files.writeString(dir.resolve("history.jsonl"), "{}\n");
    Files.createDirectories(dir.resolve("logs/train"));
    Files.writeString(dir.resolve("logs/train/events"), "e");
    Files.writeString(dir.resolve("ckpt-00000009.index"), "orphan of a crashed save");
    Files.writeString(dir.resolve("notes.txt"), "the user's own");
    Path to = m.setAside("r1", List.of("history.jsonl", "logs", "report")).orElseThrow();
    assertEquals(dir.resolve("previous-runs/r1"), to);
    assertTrue(m.list().isEmpty());
    try (Stream<Path> left = Files.list(dir)) {
      assertEquals(List.of("notes.txt", "previous-runs"), left.map(p -> p.getFileName().toString()).sorted().toList());
    }
    CheckpointManager moved = new CheckpointManager(to, 5, warnings::add);
    assertEquals(List.of(1L, 2L), moved.list().stream().map(CheckpointMetadata::step).toList());
    assertEquals(1, moved.best().orElseThrow().step());
    assertTrue(Files.isRegularFile(to.resolve("logs/train/events")) && Files.isRegularFile(to.resolve("history.jsonl")));
    assertTrue(Files.isRegularFile(to.resolve("ckpt-00000009.index")), "nothing is deleted, not even an orphan");
    try (Tiny t = new Tiny()) {
      t.set(0f);
      moved.restore(t.s, moved.latest().orElseThrow());
      assertEquals(5f, t.get(), "the moved checkpoint restores from where it is now");
    }
    assertTrue(m.setAside("r2", List.of("history.jsonl")).isEmpty(), "nothing left to move");
  }

  /** An interrupted set-aside is finished in the same folder; a name taken there for good gets another folder. */
  @Test
  void setAsideFinishesAnInterruptedMoveAndNeverOverwrites() throws IOException {
    CheckpointManager m = new CheckpointManager(dir, 5, warnings::add);
    try (Tiny t = new Tiny()) {
      m.save(t.s, ofRun("r1", 1, null));
      m.save(t.s, ofRun("r1", 2, null));
    }
    Path target = dir.resolve("previous-runs/r1");
    Files.createDirectories(target);
    for (String f : List.of(".json", ".index", ".data-00000-of-00001")) {
      Files.move(dir.resolve("ckpt-00000001" + f), target.resolve("ckpt-00000001" + f)); // as if interrupted here
    }
    assertEquals(target, m.setAside("r1", List.of()).orElseThrow());
    assertEquals(2, new CheckpointManager(target, 5, warnings::add).list().size());

    Files.writeString(dir.resolve("history.jsonl"), "{}\n");
    Files.writeString(target.resolve("history.jsonl"), "the first run's\n");
    assertEquals(dir.resolve("previous-runs/r1-2"), m.setAside("r1", List.of("history.jsonl")).orElseThrow());
    assertEquals("the first run's\n", Files.readString(target.resolve("history.jsonl")));
  }

  /** Metadata written before runs had ids still reads: no run id, no position in images, no config. */
  @Test
  void metadataFromBeforeRunIdsStillReads() throws IOException {
    try (Tiny t = new Tiny()) {
      new CheckpointManager(dir, 5, warnings::add).save(t.s, meta(7, 0.5));
    }
    Path file = dir.resolve("ckpt-00000007.json");
    com.google.gson.JsonObject o = com.google.gson.JsonParser.parseString(Files.readString(file)).getAsJsonObject();
    for (String key : List.of("run_id", "images_in_epoch", "config", "folder")) {
      o.remove(key);
    }
    Files.writeString(file, o.toString());
    CheckpointMetadata old = new CheckpointManager(dir, 5, warnings::add).latest().orElseThrow();
    assertEquals(7, old.step());
    assertEquals(null, old.runId());
    assertEquals(0, old.imagesInEpoch());
    assertEquals(dir, old.folder());
    assertEquals(0.5, old.valTop1());
    assertTrue(warnings.isEmpty(), warnings.toString());
  }
}

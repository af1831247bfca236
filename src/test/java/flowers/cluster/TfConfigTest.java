package flowers.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class TfConfigTest {
  static final String CLUSTER = "\"cluster\":{\"ps\":[\"ps0:2222\"],\"worker\":[\"w0:2222\",\"w1:2222\",\"w2:2222\"]}";

  @Test
  void workerZeroIsTheChiefWithoutAChiefJob() {
    TfConfig c = TfConfig.parse("{" + CLUSTER + ",\"task\":{\"type\":\"worker\",\"index\":0}}");
    assertTrue(c.isChief());
    assertEquals(new TfConfig.Task("worker", 0), c.chief());
    assertEquals(3, c.workers().size());
    assertEquals(List.of(new TfConfig.Task("ps", 0)), c.parameterServers());
    assertEquals(0, c.workerIndex());
    assertEquals(3, c.others().size());
    assertEquals("/job:worker/replica:0/task:0", c.task().device());
  }

  @Test
  void aChiefJobIsTheChiefAndComputesTheFirstTower() {
    TfConfig c = TfConfig.parse("{\"cluster\":{\"chief\":[\"c:1\"],\"worker\":[\"w0:2\"]},\"task\":{\"type\":\"worker\",\"index\":0}}");
    assertFalse(c.isChief());
    assertEquals(new TfConfig.Task("chief", 0), c.chief());
    assertEquals(List.of(new TfConfig.Task("chief", 0), new TfConfig.Task("worker", 0)), c.workers());
    assertEquals(1, c.workerIndex());
    assertTrue(c.parameterServers().isEmpty());
  }

  @Test
  void aConfigThatCannotBeUsedIsRefusedInOneLine() {
    for (String bad : List.of(
        "not json",
        "[1,2]",
        "{\"task\":{\"type\":\"worker\",\"index\":0}}",
        "{" + CLUSTER + "}",
        "{" + CLUSTER + ",\"task\":{\"type\":\"evaluator\",\"index\":0}}",
        "{" + CLUSTER + ",\"task\":{\"type\":\"worker\",\"index\":3}}",
        "{" + CLUSTER + ",\"task\":{\"type\":\"worker\",\"index\":\"x\"}}",
        "{\"cluster\":{\"worker\":[\"no-port\"]},\"task\":{\"type\":\"worker\",\"index\":0}}",
        "{\"cluster\":{\"ps\":[\"p:1\"]},\"task\":{\"type\":\"ps\",\"index\":0}}",
        "{\"cluster\":{\"evaluator\":[\"e:1\"],\"worker\":[\"w:1\"]},\"task\":{\"type\":\"worker\",\"index\":0}}")) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TfConfig.parse(bad), bad);
      assertTrue(e.getMessage().startsWith("cannot use TF_CONFIG: "), e.getMessage());
      assertFalse(e.getMessage().contains("\n"), e.getMessage());
    }
  }
}

package flowers.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class LearningRateScheduleTest {
  @Test
  void warmUpThenCosineToZero() {
    var s = new LearningRateSchedule(LearningRateSchedule.Kind.COSINE, 1e-3f, 10, 110, 0, 0);
    assertEquals(1e-4f, s.at(0), 1e-9);
    assertEquals(5e-4f, s.at(4), 1e-9);
    assertEquals(1e-3f, s.at(9), 1e-9);
    assertEquals(1e-3f, s.at(10), 1e-9);
    assertEquals(5e-4f, s.at(60), 1e-8, "half way through the decay");
    assertEquals(0f, s.at(110), 1e-9);
    assertEquals(0f, s.at(500), 1e-9, "stays at zero past the plan");
  }

  @Test
  void stepDecayAndConstant() {
    var step = new LearningRateSchedule(LearningRateSchedule.Kind.STEP, 1e-2f, 0, 300, 100, 0.1f);
    assertEquals(1e-2f, step.at(99), 1e-9);
    assertEquals(1e-3f, step.at(100), 1e-9);
    assertEquals(1e-4f, step.at(250), 1e-10);
    var constant = new LearningRateSchedule(LearningRateSchedule.Kind.CONSTANT, 3e-4f, 0, 100, 0, 0);
    assertEquals(3e-4f, constant.at(77), 0);
  }
}

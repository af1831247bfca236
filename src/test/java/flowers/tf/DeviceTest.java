package flowers.tf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.tensorflow.proto.ConfigProto;

class DeviceTest {

  @Test
  void parsesTheFourForms() {
    assertEquals(Device.AUTO, Device.parse("auto"));
    assertEquals(Device.CPU, Device.parse("CPU"));
    assertEquals(new Device(Device.Kind.GPU, 0), Device.parse("gpu"));
    assertEquals(new Device(Device.Kind.GPU, 1), Device.parse("gpu:1"));
    assertEquals("gpu:1", Device.parse("gpu:1").toString());
    for (String bad : new String[] {"tpu", "gpu:", "gpu:x", "gpu:-1", ""}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Device.parse(bad));
      assertTrue(e.getMessage().contains("--device must be auto, cpu, gpu or gpu:N"), e.getMessage());
    }
  }

  @Test
  void cpuHidesEveryGpuAndGpuNShowsOnlyThatOne() {
    ConfigProto cpu = new SessionOptions(2, Precision.FP32, Device.CPU).config();
    assertEquals(0, cpu.getDeviceCountOrThrow("GPU"));
    assertEquals(2, cpu.getIntraOpParallelismThreads());
    ConfigProto gpu = new SessionOptions(0, Precision.FP32, Device.parse("gpu:1")).config();
    assertEquals("1", gpu.getGpuOptions().getVisibleDeviceList());
    assertFalse(gpu.containsDeviceCount("GPU"));
    ConfigProto auto = SessionOptions.DEFAULT.config();
    assertFalse(auto.containsDeviceCount("GPU"));
    assertEquals("", auto.getGpuOptions().getVisibleDeviceList());
  }

  @Test
  void missingGpuIsOneClearErrorBeforeAnyWork() {
    Device.AUTO.requireAvailable();
    Device.CPU.requireAvailable();
    // CI and the default build are CPU-only: TensorFlow sees no GPU there.
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> Device.parse("gpu").requireAvailable());
    assertTrue(e.getMessage().startsWith("--device gpu:0: TensorFlow sees no such GPU"), e.getMessage());
    assertTrue(e.getMessage().contains("mvn -Pgpu package"), e.getMessage());
  }
}

package flowers.tf;

import java.util.Locale;
import org.tensorflow.DeviceSpec;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.proto.GPUOptions;
import org.tensorflow.types.TFloat32;

/**
 * Where a session runs the graph. {@code auto} lets TensorFlow place ops on a GPU when its native
 * library sees one (the {@code gpu} Maven profile) and on the CPU otherwise; {@code cpu} hides every
 * GPU; {@code gpu} or {@code gpu:N} insists on GPU N and fails at start-up, in one line, when there
 * is none, rather than silently training on the CPU at a fraction of the speed.
 */
public record Device(Kind kind, int index) {

  public enum Kind { AUTO, CPU, GPU }

  public static final Device AUTO = new Device(Kind.AUTO, 0);
  public static final Device CPU = new Device(Kind.CPU, 0);

  public Device {
    if (index < 0) {
      throw new IllegalArgumentException("GPU index must be >= 0, got " + index);
    }
  }

  /** {@code auto}, {@code cpu}, {@code gpu} or {@code gpu:N}. */
  public static Device parse(String s) {
    String v = s.trim().toLowerCase(Locale.ROOT);
    switch (v) {
      case "auto":
        return AUTO;
      case "cpu":
        return CPU;
      case "gpu":
        return new Device(Kind.GPU, 0);
      default:
        if (v.startsWith("gpu:")) {
          try {
            return new Device(Kind.GPU, Integer.parseInt(v.substring(4)));
          } catch (IllegalArgumentException e) {
            // falls through to the usage message
          }
        }
        throw new IllegalArgumentException("--device must be auto, cpu, gpu or gpu:N, got '" + s + "'");
    }
  }

  void configure(ConfigProto.Builder config) {
    switch (kind) {
      case CPU -> config.putDeviceCount("GPU", 0);
      // Only GPU N is made visible; inside the process it is then GPU 0, where TF places ops by default.
      case GPU -> config.setGpuOptions(GPUOptions.newBuilder().setVisibleDeviceList(Integer.toString(index)));
      case AUTO -> { }
    }
  }

  /**
   * For {@code gpu}: runs one op pinned to the GPU with soft placement off, so a missing GPU (or a
   * CPU-only build) is reported before any work starts.
   *
   * @throws IllegalStateException naming what is missing
   */
  public void requireAvailable() {
    if (kind != Kind.GPU) {
      return;
    }
    ConfigProto.Builder config = ConfigProto.newBuilder().setAllowSoftPlacement(false);
    configure(config);
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g).withDevice(DeviceSpec.newBuilder().deviceType(DeviceSpec.DeviceType.GPU).deviceIndex(0).build());
      var one = tf.constant(1f);
      var two = tf.math.add(one, one);
      try (Session s = new Session(g, config.build()); Result r = s.runner().fetch(two).run()) {
        ((TFloat32) r.get(0)).getFloat();
      }
    } catch (RuntimeException e) {
      throw new IllegalStateException("--device " + this + ": TensorFlow sees no such GPU (a GPU needs the `gpu` build,"
          + " `mvn -Pgpu package`, an NVIDIA driver and the CUDA 12 libraries; `--device auto` runs on the CPU when there is none)", e);
    }
  }

  @Override
  public String toString() {
    return kind == Kind.GPU ? "gpu:" + index : kind.name().toLowerCase(Locale.ROOT);
  }
}

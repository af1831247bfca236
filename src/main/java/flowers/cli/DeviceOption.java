package flowers.cli;

import flowers.tf.Device;
import picocli.CommandLine.Option;

/** {@code --device}, shared by the commands that run the network. */
final class DeviceOption {
  @Option(names = "--device", defaultValue = "auto",
      description = "auto (a GPU when TensorFlow sees one, else the CPU), cpu, gpu or gpu:N (fail if absent).")
  String device;

  Device device() {
    return Device.parse(device);
  }
}

package flowers.cli;

import picocli.CommandLine.IVersionProvider;

/** The version from the jar manifest (or "dev" when run from classes), with TensorFlow's. */
final class Version implements IVersionProvider {
  @Override
  public String[] getVersion() {
    String v = Main.class.getPackage().getImplementationVersion();
    return new String[] {
      "flower-resnet " + (v == null ? "dev" : v) + " (TensorFlow Java 1.1.0, TensorFlow " + org.tensorflow.TensorFlow.version() + ")"
    };
  }
}

package flowers.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Where a benchmark ran, in the terms that decide its numbers: machines of one kind (one model
 * name) differ in CPU family and model, and oneDNN picks its kernels from what the CPU reports.
 *
 * @param cpuName {@code model name} in {@code /proc/cpuinfo}
 * @param cpuFamily {@code cpu family}; -1 when unknown
 * @param cpuModel {@code model} (a number, as in {@code /proc/cpuinfo}); -1 when unknown
 * @param cpuStepping {@code stepping}; -1 when unknown
 * @param cores processors the JVM sees
 * @param bf16Native AVX512_BF16 or AMX in the CPU flags
 * @param onednnVersion as oneDNN reports it ({@code v3.5.0}); null when it could not be asked
 * @param onednnIsa the instruction set oneDNN says it uses
 * @param conv1Fp32Kernel the oneDNN implementation that runs the seed's conv1 (3→64, 7×7) in fp32
 * @param conv1Bf16Kernel the same in bf16 (the kernel that was wrong on one machine)
 */
public record Machine(String cpuName, int cpuFamily, int cpuModel, int cpuStepping, int cores, boolean bf16Native,
    String onednnVersion, String onednnIsa, String conv1Fp32Kernel, String conv1Bf16Kernel) {

  /** One line for the log and the README's tables. */
  public String line() {
    return String.format(Locale.ROOT, "%s, cpu family %d model %d stepping %d, %d cores%s; oneDNN %s, %s; conv1 kernels: fp32 %s, bf16 %s",
        cpuName, cpuFamily, cpuModel, cpuStepping, cores, bf16Native ? ", native bf16" : "",
        onednnVersion, onednnIsa, conv1Fp32Kernel, conv1Bf16Kernel);
  }

  /** This machine: {@code /proc/cpuinfo}, and a child JVM that runs conv1 once with oneDNN's verbose log on. */
  public static Machine describe() {
    String name = System.getProperty("os.arch");
    int family = -1;
    int model = -1;
    int stepping = -1;
    boolean bf16 = false;
    try {
      for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
        String value = line.contains(":") ? line.substring(line.indexOf(':') + 1).trim() : "";
        String key = line.contains(":") ? line.substring(0, line.indexOf(':')).trim() : "";
        switch (key) {
          case "model name" -> name = value;
          case "cpu family" -> family = parseInt(value);
          case "model" -> model = parseInt(value);
          case "stepping" -> stepping = parseInt(value);
          case "flags" -> bf16 = (" " + value + " ").contains(" avx512_bf16 ") || value.contains("amx_bf16");
          default -> { }
        }
        if (line.isBlank() && family >= 0) {
          break; // the first processor describes them all
        }
      }
    } catch (IOException | RuntimeException e) {
      // Not Linux: the JVM's architecture is all we know.
    }
    List<String> verbose = onednnVerbose();
    return new Machine(name, family, model, stepping, Runtime.getRuntime().availableProcessors(), bf16,
        field(verbose, "onednn_verbose,info,oneDNN ", " "), field(verbose, "onednn_verbose,info,cpu,isa:", null),
        conv1Kernel(verbose, "src_f32"), conv1Kernel(verbose, "src_bf16"));
  }

  private static int parseInt(String s) {
    try {
      return Integer.parseInt(s);
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /** The text after {@code prefix} on the first line that has it, up to {@code end}. */
  static String field(List<String> lines, String prefix, String end) {
    for (String l : lines) {
      int i = l.indexOf(prefix);
      if (i >= 0) {
        String rest = l.substring(i + prefix.length()).trim();
        int j = end == null ? -1 : rest.indexOf(end);
        return j < 0 ? rest : rest.substring(0, j);
      }
    }
    return null;
  }

  /** The implementation name of the 3→64 7×7 conv executed with {@code srcType} inputs. */
  static String conv1Kernel(List<String> lines, String srcType) {
    for (String l : lines) {
      String[] f = l.split(",");
      if (l.startsWith("onednn_verbose,primitive,exec,cpu,convolution,") && f.length > 6
          && l.contains(srcType + ":") && l.contains("ic3oc64") && l.contains("kh7")) {
        return f[5];
      }
    }
    return null;
  }

  /** oneDNN's verbose lines from a child JVM: it reads ONEDNN_VERBOSE once, from its own environment. */
  private static List<String> onednnVerbose() {
    List<String> lines = new ArrayList<>();
    try {
      Path java = Path.of(System.getProperty("java.home"), "bin", "java");
      ProcessBuilder pb = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
          Conv1Probe.class.getName());
      pb.environment().put("ONEDNN_VERBOSE", "1");
      pb.environment().put("TF_CPP_MIN_LOG_LEVEL", "3");
      pb.redirectError(ProcessBuilder.Redirect.DISCARD);
      Process p = pb.start();
      try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = r.readLine()) != null) {
          if (line.startsWith("onednn_verbose,")) {
            lines.add(line);
          }
        }
      }
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
    } catch (IOException e) {
      // No child JVM: the oneDNN fields stay unknown.
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return lines;
  }
}

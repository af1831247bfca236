package flowers.tf;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** Arithmetic the session runs convolutions in; the weights and checkpoints stay float32. */
public enum Precision {
  FP32,
  /** oneDNN automatic mixed precision: TF rewrites eligible ops to bfloat16. */
  BF16,
  /**
   * A request, not an arithmetic: bf16 if {@link Bf16Check} passes on this machine, else fp32
   * ({@link PrecisionChoice} decides). A session opened with it unresolved runs fp32.
   */
  AUTO;

  /**
   * {@code auto} asks for bf16 only where the CPU computes it natively (AVX512_BF16 or AMX), and
   * then only if the check passes; elsewhere bf16 would be emulated, slower than fp32.
   */
  public static Precision parse(String s) {
    return switch (s.toLowerCase(Locale.ROOT)) {
      case "fp32", "float32" -> FP32;
      case "bf16", "bfloat16" -> BF16;
      case "auto" -> cpuHasBf16() ? AUTO : FP32;
      default -> throw new IllegalArgumentException("--precision must be auto, fp32 or bf16, got '" + s + "'");
    };
  }

  /** Whether the CPU computes bf16 natively (AVX512_BF16 or AMX). */
  public static boolean cpuHasBf16() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
        if (line.startsWith("flags")) {
          return line.contains(" avx512_bf16") || line.contains(" amx_bf16");
        }
      }
    } catch (IOException | RuntimeException e) {
      return false;
    }
    return false;
  }
}

package flowers.tf;

/** Arithmetic the session runs convolutions in; the weights and checkpoints stay float32. */
public enum Precision {
  FP32,
  /** oneDNN automatic mixed precision: TF rewrites eligible ops to bfloat16 (needs AVX512_BF16 or AMX to pay off). */
  BF16;

  public static Precision parse(String s) {
    return switch (s.toLowerCase(java.util.Locale.ROOT)) {
      case "fp32", "float32" -> FP32;
      case "bf16", "bfloat16" -> BF16;
      default -> throw new IllegalArgumentException("--precision must be fp32 or bf16, got '" + s + "'");
    };
  }
}

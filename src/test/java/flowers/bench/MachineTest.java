package flowers.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.Test;

class MachineTest {
  /** Lines as oneDNN 3.5 prints them with ONEDNN_VERBOSE=1 (from the Zen 4 machine of the README). */
  private static final List<String> VERBOSE = List.of(
      "onednn_verbose,info,oneDNN v3.5.0 (commit N/A)",
      "onednn_verbose,info,cpu,isa:Intel AVX-512 with Intel DL Boost and bfloat16 support",
      "onednn_verbose,primitive,exec,cpu,convolution,brg_conv_fwd:avx512_core,forward_training,src_f32::blocked:acdb::f0 "
          + "wei_f32:a:blocked:Acdb32a::f0,attr-scratchpad:user,alg:convolution_direct,mb1_ic3oc64_ih224oh224kh7sh1,17.7",
      "onednn_verbose,primitive,exec,cpu,convolution,brgconv_1x1:avx512_core_bf16,forward_training,src_bf16::blocked:acdb::f0 "
          + "wei_bf16,attr-scratchpad:user,alg:convolution_direct,mb1_ic32oc128_ih28oh28kh1sh1,0.1",
      "onednn_verbose,primitive,exec,cpu,convolution,brg_conv_fwd:avx512_core_bf16,forward_training,src_bf16::blocked:acdb::f0 "
          + "wei_bf16:ap:blocked:AcdB32a2b::f0,attr-scratchpad:user,alg:convolution_direct,mb1_ic3oc64_ih224oh224kh7sh1,9.1");

  @Test
  void readsVersionIsaAndConv1Kernels() {
    assertEquals("v3.5.0", Machine.field(VERBOSE, "onednn_verbose,info,oneDNN ", " "));
    assertEquals("Intel AVX-512 with Intel DL Boost and bfloat16 support",
        Machine.field(VERBOSE, "onednn_verbose,info,cpu,isa:", null));
    assertEquals("brg_conv_fwd:avx512_core", Machine.conv1Kernel(VERBOSE, "src_f32"));
    assertEquals("brg_conv_fwd:avx512_core_bf16", Machine.conv1Kernel(VERBOSE, "src_bf16"));
  }

  @Test
  void unknownWhenOneDnnSaidNothing() {
    assertNull(Machine.field(List.of(), "onednn_verbose,info,oneDNN ", " "));
    assertNull(Machine.conv1Kernel(List.of(), "src_bf16"));
  }
}

package dev.sandboxkit.lifecycle.internal.seccomp;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A tiny classic-BPF assembler with forward labels: just the instructions a seccomp filter needs
 * (load a 32-bit word of {@code seccomp_data}, compare, return). Emits {@code struct sock_filter}
 * records (u16 code, u8 jt, u8 jf, u32 k) in little-endian order, the byte order of both target
 * architectures.
 */
final class Bpf {
  static final int LD_W_ABS = 0x20;
  static final int JEQ_K = 0x15;
  static final int JGE_K = 0x35;
  static final int JSET_K = 0x45;
  static final int RET_K = 0x06;

  /** One instruction; jump targets are labels until {@link #assemble()}. */
  record Insn(int code, String jt, String jf, int k) {}

  private final List<Insn> insns = new ArrayList<>();
  private final Map<String, Integer> labels = new HashMap<>();

  Bpf load(int offset) {
    insns.add(new Insn(LD_W_ABS, null, null, offset));
    return this;
  }

  /** If A == k go to {@code label}, else fall through. */
  Bpf jeq(int k, String label) {
    insns.add(new Insn(JEQ_K, label, null, k));
    return this;
  }

  /** If A != k go to {@code label}, else fall through. */
  Bpf jne(int k, String label) {
    insns.add(new Insn(JEQ_K, null, label, k));
    return this;
  }

  /** If A & k != 0 go to {@code label}, else fall through. */
  Bpf jset(int k, String label) {
    insns.add(new Insn(JSET_K, label, null, k));
    return this;
  }

  Bpf ret(int value) {
    insns.add(new Insn(RET_K, null, null, value));
    return this;
  }

  /** Marks the next instruction. */
  Bpf label(String name) {
    if (labels.putIfAbsent(name, insns.size()) != null) {
      throw new IllegalStateException("label " + name + " defined twice");
    }
    return this;
  }

  int size() {
    return insns.size();
  }

  /** The program; every label must be defined ahead of its uses' instructions and within 255 of them. */
  byte[] assemble() {
    ByteBuffer b = ByteBuffer.allocate(insns.size() * 8).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < insns.size(); i++) {
      Insn in = insns.get(i);
      b.putShort((short) in.code());
      b.put((byte) offset(i, in.jt()));
      b.put((byte) offset(i, in.jf()));
      b.putInt(in.k());
    }
    return b.array();
  }

  private int offset(int from, String label) {
    if (label == null) {
      return 0;
    }
    Integer to = labels.get(label);
    if (to == null) {
      throw new IllegalStateException("undefined label " + label);
    }
    int off = to - from - 1;
    if (off < 0 || off > 255) {
      throw new IllegalStateException("jump to " + label + " out of range: " + off);
    }
    return off;
  }
}

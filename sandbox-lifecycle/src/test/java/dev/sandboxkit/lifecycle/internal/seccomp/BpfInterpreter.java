package dev.sandboxkit.lifecycle.internal.seccomp;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Runs a seccomp classic-BPF program on one {@code seccomp_data}, as the kernel would (tests). */
final class BpfInterpreter {
  private BpfInterpreter() {}

  static int run(byte[] program, int arch, int nr, long... args) {
    ByteBuffer data = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN);
    data.putInt(0, nr).putInt(4, arch).putLong(8, 0x7f00_0000_1000L);
    for (int i = 0; i < args.length; i++) {
      data.putLong(16 + 8 * i, args[i]);
    }
    ByteBuffer p = ByteBuffer.wrap(program).order(ByteOrder.LITTLE_ENDIAN);
    int n = program.length / 8;
    int a = 0;
    int pc = 0;
    while (true) {
      if (pc >= n) {
        throw new IllegalStateException("ran off the end of the program");
      }
      int code = p.getShort(pc * 8) & 0xffff;
      int jt = p.get(pc * 8 + 2) & 0xff;
      int jf = p.get(pc * 8 + 3) & 0xff;
      int k = p.getInt(pc * 8 + 4);
      switch (code) {
        case Bpf.LD_W_ABS -> {
          a = data.getInt(k);
          pc++;
        }
        case Bpf.JEQ_K -> pc += 1 + (a == k ? jt : jf);
        case Bpf.JGE_K -> pc += 1 + (Integer.compareUnsigned(a, k) >= 0 ? jt : jf);
        case Bpf.JSET_K -> pc += 1 + ((a & k) != 0 ? jt : jf);
        case Bpf.RET_K -> {
          return k;
        }
        default -> throw new IllegalStateException("unknown opcode " + code);
      }
    }
  }
}

package dev.sandboxkit.lifecycle.internal.controlplane;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/** This process's effective uid, read from {@code /proc/self/status}. */
public final class EffectiveUid {
  private EffectiveUid() {}

  /** The effective uid from /proc/self/status, or empty when unknown (no /proc, unreadable, no Uid line). */
  public static OptionalLong read() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("Uid:")) {
          String[] f = line.substring(4).trim().split("\\s+");
          return OptionalLong.of(Long.parseLong(f[1]));
        }
      }
    } catch (IOException | RuntimeException e) {
      // fall through
    }
    return OptionalLong.empty();
  }
}

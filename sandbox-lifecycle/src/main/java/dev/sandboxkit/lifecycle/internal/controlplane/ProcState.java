package dev.sandboxkit.lifecycle.internal.controlplane;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A process's scheduler state from {@code /proc/PID/stat} (Linux). The JDK's {@link ProcessHandle}
 * reports a zombie (exited, waiting for its parent to reap it) as alive, but a zombie runs nothing
 * and holds nothing but its pid entry: for every liveness decision here it is dead, as Windows'
 * reference treats a terminated process whose handle is still held.
 */
public final class ProcState {
  private ProcState() {}

  /**
   * True when {@code pid} exists and is in state {@code Z} (zombie) or {@code X} (dead); false when it
   * runs, sleeps or is stopped, and also when {@code /proc} cannot tell (no such pid, not Linux).
   */
  public static boolean exited(long pid) {
    if (pid <= 0) {
      return false;
    }
    try {
      return exitedState(Files.readString(Path.of("/proc/" + pid + "/stat"), StandardCharsets.UTF_8));
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  /**
   * The decision on the text of a {@code stat} file: the state is the field after the command name,
   * which is in parentheses and may itself contain spaces and parentheses (so: after the last ')').
   */
  static boolean exitedState(String stat) {
    int close = stat.lastIndexOf(')');
    if (close < 0 || close + 2 >= stat.length()) {
      return false;
    }
    char state = stat.charAt(close + 2);
    return state == 'Z' || state == 'X';
  }
}

package dev.sandboxkit.lifecycle.internal.bridge;

import java.io.IOException;
import java.util.List;
import java.util.Locale;

/**
 * Recognises "reset-class" I/O errors (connection reset, connection aborted, broken pipe). Java has no
 * error-kind enum, so this matches the JDK's {@code SocketException}/{@code IOException} messages, in
 * one place (docs/mxc-compatibility.md §3.2 and its Java notes).
 */
public final class ResetClassifier {
  private static final List<String> RESET_MESSAGES =
      List.of(
          "connection reset",
          "connection reset by peer",
          "broken pipe",
          "connection aborted",
          "software caused connection abort",
          "an existing connection was forcibly closed",
          "an established connection was aborted");

  private ResetClassifier() {}

  /** True when {@code e} (or a cause) is a reset-class error. */
  public static boolean isReset(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof IOException && matches(t.getMessage())) {
        return true;
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return false;
  }

  static boolean matches(String message) {
    if (message == null) {
      return false;
    }
    String m = message.toLowerCase(Locale.ROOT);
    for (String r : RESET_MESSAGES) {
      if (m.contains(r)) {
        return true;
      }
    }
    return false;
  }
}

package dev.sandboxkit.cli.session;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Session ids and names. The grammar is the path-traversal guard: an id is used verbatim as a
 * folder name (and in a recursive delete), so anything that is not exactly 8 lowercase hex digits
 * never reaches the file system. A name is {@code [a-z][a-z0-9_-]{0,31}} and never looks like an id.
 * mxc's state-aware ids are {@code wsb:<id>}.
 */
public final class SessionId {
  /** The mxc sandboxId prefix. */
  public static final String MXC_PREFIX = "wsb:";

  private SessionId() {}

  /**
   * Created on the first {@link #mint()}: a {@code SecureRandom} loads the security providers and
   * reads {@code java.security} (about 11 ms of a cold JVM), which {@code exec}, {@code stop} and
   * {@code ls} (they only check ids) never need.
   */
  private static final class Random {
    static final SecureRandom INSTANCE = new SecureRandom();
  }

  /** A fresh random token (4 random bytes as 8 lowercase hex digits). */
  public static String mint() {
    byte[] b = new byte[4];
    Random.INSTANCE.nextBytes(b);
    return HexFormat.of().formatHex(b);
  }

  /** True for exactly 8 lowercase hex digits. */
  public static boolean isToken(String s) {
    if (s == null || s.length() != 8) {
      return false;
    }
    for (int i = 0; i < 8; i++) {
      char c = s.charAt(i);
      if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
        return false;
      }
    }
    return true;
  }

  /** True for a valid {@code --name}: {@code [a-z][a-z0-9_-]{0,31}} that is not itself an id. */
  public static boolean isName(String s) {
    if (s == null || s.isEmpty() || s.length() > 32 || isToken(s)) {
      return false;
    }
    char first = s.charAt(0);
    if (first < 'a' || first > 'z') {
      return false;
    }
    for (int i = 1; i < s.length(); i++) {
      char c = s.charAt(i);
      if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-')) {
        return false;
      }
    }
    return true;
  }

  /** The token of an mxc {@code wsb:<token>} id, or empty when malformed. */
  public static Optional<String> fromMxc(String sandboxId) {
    if (sandboxId == null || !sandboxId.startsWith(MXC_PREFIX)) {
      return Optional.empty();
    }
    String t = sandboxId.substring(MXC_PREFIX.length());
    return isToken(t) ? Optional.of(t) : Optional.empty();
  }

  /** A user-supplied value made safe to quote in a message (control characters escaped, length capped). */
  public static String quote(String s) {
    if (s == null) {
      return "\"\"";
    }
    StringBuilder b = new StringBuilder("\"");
    int n = Math.min(s.length(), 64);
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c < 0x20 || c == 0x7f || c == '"' || c == '\\') {
        b.append(String.format("\\u%04x", (int) c));
      } else {
        b.append(c);
      }
    }
    if (s.length() > n) {
      b.append("...");
    }
    return b.append('"').toString();
  }
}

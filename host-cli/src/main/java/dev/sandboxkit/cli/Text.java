package dev.sandboxkit.cli;

import java.util.Locale;
import java.util.Set;

/** Makes untrusted text safe to print in one error line. */
final class Text {
  private static final Set<String> SECRET_WORDS =
      Set.of("token", "password", "passwd", "secret", "user", "credential", "apikey", "auth");

  private Text() {}

  /**
   * Escapes control characters and Unicode format (bidi) characters as {@code \\u{XXXX}}, so a
   * hostile value cannot rewrite the terminal line it is printed on.
   */
  static String escape(String s) {
    if (s == null) {
      return "";
    }
    StringBuilder sb = new StringBuilder(s.length());
    s.codePoints().forEach(cp -> {
      if (Character.isISOControl(cp) || Character.getType(cp) == Character.FORMAT
          || cp == 0x2028 || cp == 0x2029) {
        sb.append(String.format(Locale.ROOT, "\\u{%04X}", cp));
      } else {
        sb.appendCodePoint(cp);
      }
    });
    return sb.toString();
  }

  /** True when a JSON path names something that may hold a secret (its value is never echoed). */
  static boolean secretLike(String path) {
    String lower = path.toLowerCase(Locale.ROOT);
    for (String w : SECRET_WORDS) {
      if (lower.contains(w)) {
        return true;
      }
    }
    return false;
  }
}

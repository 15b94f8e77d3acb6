package dev.sandboxkit.guest.job;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The {@code lpEnvironment} block of {@code CreateProcessW} with {@code CREATE_UNICODE_ENVIRONMENT}
 * (pure): {@code name=value\0} entries in UTF-16LE, then one more {@code \0}. As Windows requires,
 * the entries are sorted by name case-insensitively in Unicode order without regard to locale
 * (each character upper-cased, then compared by code unit); the per-drive entries of cmd.exe
 * ({@code =C:=C:\dir}, names beginning with {@code =}) come first in their given order.
 */
final class EnvironmentBlock {
  /** Orders names as Windows sorts an environment block. */
  static final Comparator<String> WINDOWS_ORDER = EnvironmentBlock::compareNames;

  private EnvironmentBlock() {}

  /**
   * The block for {@code env}.
   *
   * @throws IllegalArgumentException for an empty name, a name with {@code =} after its first
   *     character, a NUL anywhere, or two names equal ignoring case (Windows names are
   *     case-insensitive: the block would be ambiguous)
   */
  static byte[] encode(Map<String, String> env) {
    List<Map.Entry<String, String>> drive = new ArrayList<>();
    TreeMap<String, String> rest = new TreeMap<>(WINDOWS_ORDER);
    for (Map.Entry<String, String> e : env.entrySet()) {
      String name = e.getKey();
      String value = e.getValue() == null ? "" : e.getValue();
      if (name == null || name.isEmpty() || name.indexOf('=', 1) >= 0 || name.indexOf('\0') >= 0) {
        throw new IllegalArgumentException("invalid environment variable name '" + name + "'");
      }
      if (value.indexOf('\0') >= 0) {
        throw new IllegalArgumentException("the value of environment variable " + name + " contains NUL");
      }
      if (name.charAt(0) == '=') {
        drive.add(Map.entry(name, value));
      } else if (rest.putIfAbsent(name, value) != null) {
        throw new IllegalArgumentException("environment variable " + name + " is given twice (names are"
            + " case-insensitive on Windows)");
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (Map.Entry<String, String> e : drive) {
      put(out, e.getKey() + "=" + e.getValue());
    }
    for (Map.Entry<String, String> e : rest.entrySet()) {
      put(out, e.getKey() + "=" + e.getValue());
    }
    if (out.size() == 0) {
      put(out, ""); // an empty block is two NULs, not one
    }
    put(out, "");
    return out.toByteArray();
  }

  /**
   * {@code base} overlaid by {@code overlay} with Windows' case-insensitive names: an overlay entry
   * {@code Path} replaces a base {@code PATH} (and takes the overlay's spelling).
   */
  static Map<String, String> overlay(Map<String, String> base, Map<String, String> overlay) {
    TreeMap<String, String> byKey = new TreeMap<>(WINDOWS_ORDER);
    Map<String, String> spelled = new LinkedHashMap<>();
    for (Map<String, String> m : List.of(base, overlay)) {
      for (Map.Entry<String, String> e : m.entrySet()) {
        String old = byKey.put(e.getKey(), e.getKey());
        if (old != null) {
          spelled.remove(old);
        }
        spelled.put(e.getKey(), e.getValue());
      }
    }
    return spelled;
  }

  private static void put(ByteArrayOutputStream out, String s) {
    out.writeBytes((s + "\0").getBytes(StandardCharsets.UTF_16LE));
  }

  private static int compareNames(String a, String b) {
    int n = Math.min(a.length(), b.length());
    for (int i = 0; i < n; i++) {
      char x = Character.toUpperCase(a.charAt(i));
      char y = Character.toUpperCase(b.charAt(i));
      if (x != y) {
        return Character.compare(x, y);
      }
    }
    return Integer.compare(a.length(), b.length());
  }
}

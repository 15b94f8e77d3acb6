package dev.sandboxkit.lifecycle.internal.vm.bubblewrap;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * For {@code doctor} (issue 13): which Java runtimes the host has and which of them sandboxkit
 * supports. The guest runs on the very runtime the host runs on (mapped at /opt/sandboxkit/java),
 * so "supported" means Java 17 or newer, chosen with JAVA_HOME.
 */
final class JdkScan {
  static final int MIN_FEATURE = 17;

  /** One runtime: its folder and its JAVA_VERSION from the release file. */
  record Jdk(Path home, String version) {
    /** The feature release (17 of "17.0.15", 8 of "1.8.0_392"), or 0 when unreadable. */
    int feature() {
      String v = version.startsWith("1.") ? version.substring(2) : version;
      int end = 0;
      while (end < v.length() && Character.isDigit(v.charAt(end))) {
        end++;
      }
      return end == 0 || end > 4 ? 0 : Integer.parseInt(v.substring(0, end));
    }

    boolean supported() {
      return feature() >= MIN_FEATURE;
    }
  }

  private JdkScan() {}

  /** The runtimes directly under {@code root} (e.g. /usr/lib/jvm); symlinked aliases skipped. */
  static List<Jdk> under(Path root) {
    List<Jdk> found = new ArrayList<>();
    try (DirectoryStream<Path> s = Files.newDirectoryStream(root)) {
      for (Path p : s) {
        if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS) && Files.isExecutable(p.resolve("bin/java"))) {
          version(p).ifPresent(v -> found.add(new Jdk(p, v)));
        }
      }
    } catch (IOException | RuntimeException e) {
      // no such folder: nothing found
    }
    found.sort((a, b) -> a.home().compareTo(b.home()));
    return found;
  }

  /** JAVA_VERSION of the release file of {@code home}. */
  static Optional<String> version(Path home) {
    try {
      for (String line : Files.readAllLines(home.resolve("release"), StandardCharsets.UTF_8)) {
        if (line.startsWith("JAVA_VERSION=")) {
          return Optional.of(line.substring("JAVA_VERSION=".length()).replace("\"", "").strip());
        }
      }
    } catch (IOException | RuntimeException e) {
      // not a runtime we can tell
    }
    return Optional.empty();
  }

  /** The doctor line's detail: the runtime in use, then the others found, each marked. */
  static String describe(Path inUse, List<Jdk> found) {
    StringBuilder sb = new StringBuilder(inUse.toString());
    version(inUse).ifPresent(v -> sb.append(" (Java ").append(v).append(')'));
    sb.append("; supported: Java ").append(MIN_FEATURE).append(" or newer, chosen with JAVA_HOME");
    List<String> others = new ArrayList<>();
    for (Jdk j : found) {
      try {
        if (Files.isSameFile(j.home(), inUse)) {
          continue;
        }
      } catch (IOException e) {
        // list it
      }
      others.add(j.home() + " (" + j.version() + (j.supported() ? "" : ", not supported") + ")");
    }
    if (!others.isEmpty()) {
      sb.append("; also found: ").append(String.join(", ", others));
    }
    return sb.toString();
  }
}

package dev.sandboxkit.lifecycle.internal.vm.bubblewrap;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/** Probes of the host that feed {@link BwrapCommand}: who we are, where things are. */
final class HostFacts {
  private HostFacts() {}

  /** The effective uid of this process from /proc/self/status, or empty when unknown. */
  static OptionalLong effectiveUid() {
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

  static boolean isRoot() {
    OptionalLong uid = effectiveUid();
    return uid.isPresent() ? uid.getAsLong() == 0 : "root".equals(System.getProperty("user.name"));
  }

  /** The host's /bin, /sbin, /lib* entries. */
  static BwrapCommand.HostLayout layout() {
    Map<String, String> m = new LinkedHashMap<>();
    for (String dir : BwrapCommand.SYSTEM_DIRS) {
      Path p = Path.of(dir);
      try {
        if (Files.isSymbolicLink(p)) {
          m.put(dir, Files.readSymbolicLink(p).toString());
        } else if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
          m.put(dir, "");
        }
      } catch (IOException e) {
        // unreadable: leave it out
      }
    }
    return new BwrapCommand.HostLayout(m);
  }

  /** The first executable named {@code name} in /usr/bin, /bin, /usr/local/bin or $PATH. */
  static Optional<Path> findExecutable(String name) {
    List<String> dirs = new ArrayList<>(List.of("/usr/bin", "/bin", "/usr/local/bin"));
    String path = System.getenv("PATH");
    if (path != null) {
      dirs.addAll(List.of(path.split(":")));
    }
    for (String d : dirs) {
      if (d.isEmpty()) {
        continue;
      }
      Path p = Path.of(d, name);
      if (Files.isRegularFile(p) && Files.isExecutable(p)) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }

  /** The real path of this JVM's runtime ({@code java.home}). */
  static Path javaHome() throws IOException {
    return Path.of(System.getProperty("java.home")).toRealPath();
  }

  /**
   * Top-level dirs outside /usr and outside the runtime that its absolute symlinks point into (e.g.
   * Debian's conf/ links into /etc/java-17-openjdk): they must be visible for the JVM to start. The
   * runtime's {@code legal/} folder (license texts, which the JVM never reads; on Debian 169 of its
   * 397 entries and 70 of its 98 links) is not walked.
   */
  static List<Path> javaExtraRoots(Path javaHome) {
    Set<Path> roots = new LinkedHashSet<>();
    Path legal = javaHome.resolve("legal");
    try {
      Files.walkFileTree(javaHome, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
          return dir.equals(legal) ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFile(Path link, BasicFileAttributes attrs) {
          if (attrs.isSymbolicLink()) {
            try {
              Path target = link.toRealPath();
              if (!target.startsWith(javaHome) && !target.startsWith("/usr") && target.getNameCount() >= 2) {
                roots.add(target.getRoot().resolve(target.subpath(0, 2)));
              }
            } catch (IOException e) {
              // dangling link: nothing to bind
            }
          }
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFileFailed(Path file, IOException e) {
          return FileVisitResult.CONTINUE; // unreadable: the launch will report it
        }
      });
    } catch (IOException | UncheckedIOException e) {
      // unreadable runtime: the launch will report it
    }
    return List.copyOf(roots);
  }
}

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
    return dev.sandboxkit.lifecycle.internal.controlplane.EffectiveUid.read();
  }

  /**
   * Whether this process runs as root, measured, never guessed from a name: its effective uid from
   * {@code /proc/self/status}, else the owner of a file it creates (the file-system uid); empty when
   * neither tells (no /proc, no POSIX file attributes), and the driver then refuses to run.
   */
  static Optional<Boolean> root() {
    return root(effectiveUid(), HostFacts::createdFileOwner);
  }

  /** The decision: the uid when known, else the created file's owner, else unknown. */
  static Optional<Boolean> root(OptionalLong uid, java.util.function.Supplier<OptionalLong> fileOwner) {
    OptionalLong known = uid.isPresent() ? uid : fileOwner.get();
    return known.isPresent() ? Optional.of(known.getAsLong() == 0) : Optional.empty();
  }

  /** Root or not; throws when it cannot be told ({@link #root()}). For tests and callers that need an answer. */
  static boolean isRoot() {
    return root().orElseThrow(() -> new IllegalStateException(UNKNOWN_UID));
  }

  static final String UNKNOWN_UID = "cannot tell whether this process runs as root: /proc/self/status has no"
      + " readable Uid line and a new temporary file has no owner uid";

  /** The uid that owns a file this process creates, or empty when the file system does not say. */
  static OptionalLong createdFileOwner() {
    Path f = null;
    try {
      f = Files.createTempFile("sandboxkit-uid", ".tmp");
      return OptionalLong.of(((Number) Files.getAttribute(f, "unix:uid")).longValue());
    } catch (IOException | RuntimeException e) {
      return OptionalLong.empty();
    } finally {
      if (f != null) {
        try {
          Files.deleteIfExists(f);
        } catch (IOException e) {
          // a stray empty temp file at worst
        }
      }
    }
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
    List<String> etc = etcEntries();
    List<String> hidden = EtcView.HIDDEN.stream()
        .filter(h -> etc.stream().anyMatch(e -> h.startsWith(e + "/")) && Files.isDirectory(Path.of(h)))
        .toList();
    return new BwrapCommand.HostLayout(m, etc, hidden);
  }

  private static List<String> etcEntries() {
    try (var names = Files.list(Path.of("/etc"))) {
      return EtcView.select(names.map(n -> n.getFileName().toString()).toList());
    } catch (IOException | UncheckedIOException e) {
      return List.of(); // unreadable /etc: show none of it
    }
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

  private static final java.util.concurrent.ConcurrentHashMap<Path, Boolean> DISABLE_USERNS =
      new java.util.concurrent.ConcurrentHashMap<>();

  /** Whether this bwrap has {@code --disable-userns} (0.8.0 and later; asked once per path). */
  static boolean bwrapHasDisableUserns(Path bwrap) {
    return DISABLE_USERNS.computeIfAbsent(bwrap, b -> {
      try {
        Process p = new ProcessBuilder(b.toString(), "--version").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readNBytes(200), java.nio.charset.StandardCharsets.UTF_8);
        p.waitFor(5, java.util.concurrent.TimeUnit.SECONDS);
        return versionAtLeast(out, 0, 8);
      } catch (IOException e) {
        return false;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    });
  }

  /** Whether "bubblewrap X.Y.Z" is at least major.minor. */
  static boolean versionAtLeast(String versionLine, int major, int minor) {
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+)\\.(\\d+)").matcher(versionLine);
    if (!m.find()) {
      return false;
    }
    int a = Integer.parseInt(m.group(1));
    int b = Integer.parseInt(m.group(2));
    return a > major || (a == major && b >= minor);
  }
}

package dev.sandboxkit.lifecycle.internal.startup;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * How a sandbox's guest JVM uses the guest's class-data-sharing (AppCDS) archive: the part of a
 * driver's sandbox command (the bubblewrap driver's {@code BwrapCommand.Spec}) that adds a bind and
 * JVM flags.
 *
 * <p>The archive must be dumped and used at the same in-sandbox paths (the JVM validates the class
 * path and the base archive by path, size and mtime), hence the fixed {@link #INSIDE_ARCHIVE} and
 * {@link #INSIDE_DUMP_DIR}.
 */
public sealed interface GuestCds {
  /** The guest's own folder inside a sandbox (the jar, the runtime, the rendezvous folder live under it). */
  String INSIDE_ROOT = "/opt/sandboxkit";
  /** Where a user's sandbox sees the published archive (read-only). */
  String INSIDE_ARCHIVE = INSIDE_ROOT + "/guest.jsa";
  /** Where a training sandbox sees its writable dump folder. */
  String INSIDE_DUMP_DIR = INSIDE_ROOT + "/cds";
  /** The file the training JVM dumps at exit. */
  String INSIDE_DUMP = INSIDE_DUMP_DIR + "/guest.jsa";
  /** Keeps the dump's harmless warnings (classes that cannot be archived) out of the log. */
  String QUIET_DUMP = "-Xlog:cds=off,cds+dynamic=off";

  /** No archive: the JVM maps only the runtime's default archive. */
  record Off() implements GuestCds {}

  /** A user's run: map {@code archive} when it still matches ({@code -Xshare:auto}: else only slower). */
  record Use(Path archive) implements GuestCds {
    public Use {
      Objects.requireNonNull(archive, "archive");
    }
  }

  /** A training run: the agent dumps its loaded classes into {@code dumpDir} when it exits by itself. */
  record Train(Path dumpDir) implements GuestCds {
    public Train {
      Objects.requireNonNull(dumpDir, "dumpDir");
    }
  }

  /**
   * Checks a freshly dumped {@code archive}: the guest JVM must start with it strictly
   * ({@code -Xshare:on}) and its checksums verified, then print its version and exit 0.
   */
  record Verify(Path archive) implements GuestCds {
    public Verify {
      Objects.requireNonNull(archive, "archive");
    }
  }

  GuestCds OFF = new Off();

  /**
   * The bwrap options this adds after the sandbox's own binds. A user's run binds the archive with
   * {@code --ro-bind-try}: should it vanish between the check and bwrap's bind (pruned by another
   * process), the JVM finds no file and starts without it instead of the run failing.
   */
  static List<String> binds(GuestCds cds) {
    if (cds instanceof Use) {
      return List.of("--ro-bind-try", ((Use) cds).archive().toString(), INSIDE_ARCHIVE);
    }
    if (cds instanceof Verify) {
      return List.of("--ro-bind", ((Verify) cds).archive().toString(), INSIDE_ARCHIVE);
    }
    if (cds instanceof Train) {
      return List.of("--bind", ((Train) cds).dumpDir().toString(), INSIDE_DUMP_DIR);
    }
    return List.of();
  }

  /** The guest JVM flags this adds after the driver's own guest JVM flags (later flags win). */
  static List<String> jvmFlags(GuestCds cds) {
    if (cds instanceof Use) {
      return List.of("-XX:SharedArchiveFile=" + INSIDE_ARCHIVE);
    }
    if (cds instanceof Verify) {
      return List.of("-Xshare:on", "-XX:+VerifySharedSpaces", "-XX:SharedArchiveFile=" + INSIDE_ARCHIVE);
    }
    if (cds instanceof Train) {
      return List.of("-XX:ArchiveClassesAtExit=" + INSIDE_DUMP, QUIET_DUMP);
    }
    return List.of();
  }
}

package dev.sandboxkit.lifecycle.internal.startup;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * How a sandbox's guest JVM uses the guest's class-data-sharing (AppCDS) archive, or on Java 25+ its
 * AOT cache ({@link ArchiveKind}): the part of a driver's sandbox command (the bubblewrap driver's {@code BwrapCommand.Spec}) that adds a bind and
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
  /** Keeps the AOT cache's messages (a stale or unreadable cache, classes it skips) out of the log. */
  String QUIET_AOT = "-Xlog:aot*=off";

  /** No archive: the JVM maps only the runtime's default archive. */
  record Off() implements GuestCds {}

  /** A user's run: map {@code archive} when it still matches ({@code -Xshare:auto}: else only slower). */
  record Use(Path archive, ArchiveKind kind) implements GuestCds {
    public Use {
      Objects.requireNonNull(archive, "archive");
      Objects.requireNonNull(kind, "kind");
    }

    /** A class-data archive. */
    public Use(Path archive) {
      this(archive, ArchiveKind.CDS);
    }
  }

  /** A training run: the agent dumps its loaded classes into {@code dumpDir} when it exits by itself. */
  record Train(Path dumpDir, ArchiveKind kind) implements GuestCds {
    public Train {
      Objects.requireNonNull(dumpDir, "dumpDir");
      Objects.requireNonNull(kind, "kind");
    }

    /** A class-data archive. */
    public Train(Path dumpDir) {
      this(dumpDir, ArchiveKind.CDS);
    }
  }

  /**
   * Checks a freshly dumped {@code archive}: the guest JVM must start with it strictly
   * ({@code -Xshare:on}) and its checksums verified, then print its version and exit 0.
   */
  record Verify(Path archive, ArchiveKind kind) implements GuestCds {
    public Verify {
      Objects.requireNonNull(archive, "archive");
      Objects.requireNonNull(kind, "kind");
    }

    /** A class-data archive. */
    public Verify(Path archive) {
      this(archive, ArchiveKind.CDS);
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

  /** The archive kind of {@code cds}; {@link ArchiveKind#CDS} for {@link #OFF}. */
  static ArchiveKind kind(GuestCds cds) {
    if (cds instanceof Use) {
      return ((Use) cds).kind();
    }
    if (cds instanceof Verify) {
      return ((Verify) cds).kind();
    }
    if (cds instanceof Train) {
      return ((Train) cds).kind();
    }
    return ArchiveKind.CDS;
  }

  /**
   * The driver's own guest JVM flags {@code base} as {@code cds} needs them: without
   * {@code -Xshare:...} for an AOT cache (the JVM refuses the two together), else unchanged.
   */
  static List<String> baseFlags(List<String> base, GuestCds cds) {
    if (kind(cds) != ArchiveKind.AOT) {
      return base;
    }
    return base.stream().filter(f -> !f.startsWith("-Xshare:")).toList();
  }

  /** The guest JVM flags this adds after {@link #baseFlags} (later flags win). */
  static List<String> jvmFlags(GuestCds cds) {
    boolean aot = kind(cds) == ArchiveKind.AOT;
    if (cds instanceof Use) {
      return aot ? List.of("-XX:AOTCache=" + INSIDE_ARCHIVE, QUIET_AOT)
          : List.of("-XX:SharedArchiveFile=" + INSIDE_ARCHIVE);
    }
    if (cds instanceof Verify) {
      return aot ? List.of("-XX:AOTMode=on", "-XX:+VerifySharedSpaces", "-XX:AOTCache=" + INSIDE_ARCHIVE)
          : List.of("-Xshare:on", "-XX:+VerifySharedSpaces", "-XX:SharedArchiveFile=" + INSIDE_ARCHIVE);
    }
    if (cds instanceof Train) {
      // One step (JEP 514): at exit the JVM records, then starts a JVM in the sandbox that writes the cache.
      return aot ? List.of("-XX:AOTCacheOutput=" + INSIDE_DUMP, QUIET_AOT)
          : List.of("-XX:ArchiveClassesAtExit=" + INSIDE_DUMP, QUIET_DUMP);
    }
    return List.of();
  }
}

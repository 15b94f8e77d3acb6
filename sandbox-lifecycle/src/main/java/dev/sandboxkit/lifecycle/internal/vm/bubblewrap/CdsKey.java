package dev.sandboxkit.lifecycle.internal.vm.bubblewrap;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Objects;

/**
 * The name of a guest class-data archive: what the JVM checks when it maps one (the guest jar and
 * the runtime's modules, by size and mtime) plus the guest JVM flags, so a rebuilt jar, an updated
 * JDK or changed flags get a fresh archive and never a stale one.
 */
final class CdsKey {
  /** Bumped when the archive's layout or training changes. */
  static final String FORMAT = "sandboxkit-guest-cds 1";
  /** Hex digits of SHA-256 kept in the name. */
  static final int LENGTH = 16;

  private CdsKey() {}

  /** What the key is made of. */
  record Inputs(
      String guestJar,
      long guestJarSize,
      long guestJarMtimeMillis,
      String javaHome,
      long modulesSize,
      long modulesMtimeMillis,
      List<String> jvmFlags) {
    Inputs {
      Objects.requireNonNull(guestJar, "guestJar");
      Objects.requireNonNull(javaHome, "javaHome");
      jvmFlags = List.copyOf(jvmFlags);
    }
  }

  /** As {@link #probe(Path, Path, ArchiveKind)} for a class-data archive. */
  static Inputs probe(Path guestJar, Path javaHome) throws IOException {
    return probe(guestJar, javaHome, ArchiveKind.CDS);
  }

  /**
   * Reads the inputs: the jar's and the runtime's real paths, {@code lib/modules}, the guest flags (for
   * an AOT cache its own, so the two kinds never share a name; a class-data archive's key is unchanged).
   */
  static Inputs probe(Path guestJar, Path javaHome, ArchiveKind kind) throws IOException {
    Path jar = guestJar.toRealPath();
    Path home = javaHome.toRealPath();
    BasicFileAttributes j = Files.readAttributes(jar, BasicFileAttributes.class);
    BasicFileAttributes m = Files.readAttributes(home.resolve("lib").resolve("modules"), BasicFileAttributes.class);
    return new Inputs(jar.toString(), j.size(), j.lastModifiedTime().toMillis(), home.toString(), m.size(),
        m.lastModifiedTime().toMillis(), flags(kind));
  }

  /** The guest flags that shape an archive of {@code kind}. */
  static List<String> flags(ArchiveKind kind) {
    if (kind == ArchiveKind.CDS) {
      return BwrapCommand.JVM_FLAGS;
    }
    List<String> f = new java.util.ArrayList<>(GuestCds.baseFlags(BwrapCommand.JVM_FLAGS, new GuestCds.Use(Path.of("/"), kind)));
    f.add("-XX:AOTCache");
    return f;
  }

  /** The first {@link #LENGTH} hex digits of the SHA-256 of the inputs (lower case). */
  static String of(Inputs in) {
    String text = String.join("\n", FORMAT,
        in.guestJar(), Long.toString(in.guestJarSize()), Long.toString(in.guestJarMtimeMillis()),
        in.javaHome(), Long.toString(in.modulesSize()), Long.toString(in.modulesMtimeMillis()),
        String.join(" ", in.jvmFlags()));
    byte[] digest;
    try {
      digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
    StringBuilder hex = new StringBuilder(LENGTH);
    for (int i = 0; i < LENGTH / 2; i++) {
      hex.append(Character.forDigit((digest[i] >> 4) & 0xf, 16)).append(Character.forDigit(digest[i] & 0xf, 16));
    }
    return hex.toString();
  }
}

package dev.sandboxkit.lifecycle.internal.startup;

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
public final class CdsKey {
  /** Bumped when the archive's layout or training changes. */
  static final String FORMAT = "sandboxkit-guest-cds 1";
  /** Hex digits of SHA-256 kept in the name. */
  static final int LENGTH = 16;

  private CdsKey() {}

  /** What the key is made of. */
  public record Inputs(
      String guestJar,
      long guestJarSize,
      long guestJarMtimeMillis,
      String javaHome,
      long modulesSize,
      long modulesMtimeMillis,
      List<String> jvmFlags) {
    public Inputs {
      Objects.requireNonNull(guestJar, "guestJar");
      Objects.requireNonNull(javaHome, "javaHome");
      jvmFlags = List.copyOf(jvmFlags);
    }
  }

  /** Reads the inputs: the jar's and the runtime's real paths, {@code lib/modules}, the guest flags. */
  static Inputs probe(GuestSandbox guest) throws IOException {
    return probe(guest, ArchiveKind.CDS);
  }

  /** As {@link #probe(GuestSandbox)} for an archive of {@code kind} ({@link #flags}). */
  static Inputs probe(GuestSandbox guest, ArchiveKind kind) throws IOException {
    return probe(guest.guestJar(), guest.javaHome(), flags(guest.jvmFlags(), kind));
  }

  /**
   * The flags in the key of an archive of {@code kind}: the guest's own for a class-data archive (its
   * key as before), as an AOT cache runs them plus a marker for an AOT cache, so the two never share a
   * name.
   */
  public static List<String> flags(List<String> guestFlags, ArchiveKind kind) {
    if (kind == ArchiveKind.CDS) {
      return guestFlags;
    }
    List<String> f = new java.util.ArrayList<>(GuestCds.baseFlags(guestFlags, new GuestCds.Use(Path.of("/"), kind)));
    f.add("-XX:AOTCache");
    return f;
  }

  /** Reads the inputs for {@code guestJar} on {@code javaHome} with {@code jvmFlags}. */
  public static Inputs probe(Path guestJar, Path javaHome, List<String> jvmFlags) throws IOException {
    Path jar = guestJar.toRealPath();
    Path home = javaHome.toRealPath();
    BasicFileAttributes j = Files.readAttributes(jar, BasicFileAttributes.class);
    BasicFileAttributes m = Files.readAttributes(home.resolve("lib").resolve("modules"), BasicFileAttributes.class);
    return new Inputs(jar.toString(), j.size(), j.lastModifiedTime().toMillis(), home.toString(), m.size(),
        m.lastModifiedTime().toMillis(), jvmFlags);
  }

  /** The first {@link #LENGTH} hex digits of the SHA-256 of the inputs (lower case). */
  public static String of(Inputs in) {
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

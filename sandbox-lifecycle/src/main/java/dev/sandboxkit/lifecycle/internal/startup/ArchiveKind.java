package dev.sandboxkit.lifecycle.internal.startup;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Which kind of archive the guest JVM starts from, per runtime: the JDK's AOT cache (JEPs 483, 514,
 * 515: classes loaded and linked, method profiles) on Java {@value #AOT_FROM}+, where it beat the
 * class-data archive in {@code benchmarks/run.sh BENCH_AOT=1}; the class-data (AppCDS) archive below.
 * {@code SANDBOXKIT_NO_AOT} (set to anything) or {@code -Dsandboxkit.aot=false} keeps the class-data
 * archive on every runtime. Pure functions, but {@link #forRuntime} reads the runtime's release file.
 */
public enum ArchiveKind {
  /** A dynamic class-data archive: {@code -XX:ArchiveClassesAtExit}, {@code -XX:SharedArchiveFile}. */
  CDS,
  /** An AOT cache: {@code -XX:AOTCacheOutput}, {@code -XX:AOTCache} (replaces {@code -Xshare:auto}). */
  AOT;

  /** The first feature release where the AOT cache is used (measured there; 24 has the flags too). */
  static final int AOT_FROM = 25;
  static final String ENV_NO_AOT = "SANDBOXKIT_NO_AOT";
  static final String PROPERTY_AOT = "sandboxkit.aot";

  /** The decision table. */
  static ArchiveKind decide(int feature, UnaryOperator<String> properties, Map<String, String> env) {
    String off = env.get(ENV_NO_AOT);
    if (off != null && !off.isEmpty()) {
      return CDS;
    }
    String on = properties.apply(PROPERTY_AOT);
    if (on != null && on.strip().toLowerCase(Locale.ROOT).equals("false")) {
      return CDS;
    }
    return feature >= AOT_FROM ? AOT : CDS;
  }

  /**
   * The feature release in a runtime's {@code release} file ({@code JAVA_VERSION="25.0.3"} gives 25,
   * {@code "1.8.0_402"} gives 8); 0 when the line is missing or unreadable.
   */
  static int feature(String releaseFile) {
    for (String line : releaseFile.split("\n", -1)) {
      if (!line.startsWith("JAVA_VERSION=")) {
        continue;
      }
      String v = line.substring("JAVA_VERSION=".length()).strip().replace("\"", "");
      if (v.startsWith("1.")) {
        v = v.substring(2);
      }
      int end = 0;
      while (end < v.length() && end < 4 && Character.isDigit(v.charAt(end))) {
        end++;
      }
      return end == 0 ? 0 : Integer.parseInt(v.substring(0, end));
    }
    return 0;
  }

  /** For the runtime at {@code javaHome}, with this JVM's properties and environment; CDS when unknown. */
  public static ArchiveKind forRuntime(Path javaHome) {
    int feature;
    try {
      feature = feature(Files.readString(javaHome.resolve("release"), StandardCharsets.ISO_8859_1));
    } catch (IOException | RuntimeException e) {
      feature = 0;
    }
    return decide(feature, System::getProperty, System.getenv());
  }
}

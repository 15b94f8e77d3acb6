package dev.sandboxkit.cli;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Whether standard descriptor 0, 1 or 2 is really the one this process was started with. A
 * descriptor that was closed at exec is reused by the JVM for the first file it opens (fd 0 = the
 * runtime's {@code lib/modules}, then the class path's jars): forwarding that as the command's stdin
 * leaked a host file into the sandbox and crashed the JVM. The launcher turns a closed descriptor
 * into {@code /dev/null} before Java starts; this covers {@code java -jar} and other launch paths,
 * where the JVM has already opened its files by the time {@code main} runs: such a descriptor is
 * treated as {@code /dev/null} (reads see end of file, writes are discarded) and never touched.
 */
final class StandardFds {
  private StandardFds() {}

  /**
   * True when {@code fd} is usable as the process's own standard descriptor: it exists (Linux:
   * {@code /proc/self/fd/N}) and is not a file the JVM opened for itself (under {@code java.home},
   * a class path entry, a class-data archive). Where {@code /proc} is missing, true.
   */
  static boolean usable(int fd) {
    Path link = Path.of("/proc/self/fd/" + fd);
    Path proc = Path.of("/proc/self/fd");
    if (!Files.isDirectory(proc)) {
      return true; // not Linux: no way to tell, assume the usual
    }
    String target;
    try {
      target = Files.readSymbolicLink(link).toString();
    } catch (Exception e) {
      return false; // closed (and not reused)
    }
    return !openedByTheJvm(target, System.getProperty("java.home", ""),
        System.getProperty("java.class.path", ""));
  }

  /** True for a path the JVM itself opens at start-up (its runtime image, a jar, an archive). */
  static boolean openedByTheJvm(String target, String javaHome, String classPath) {
    if (!target.startsWith("/") || target.startsWith("/dev/")) {
      return false; // pipe:[..], socket:[..], a terminal, /dev/null
    }
    if (target.endsWith(".jsa") || target.endsWith(".aot") || target.endsWith("/lib/modules")) {
      return true;
    }
    if (!javaHome.isEmpty() && Path.of(target).startsWith(Path.of(javaHome))) {
      return true;
    }
    for (String entry : classPath.split(java.io.File.pathSeparator)) {
      if (!entry.isEmpty() && Path.of(target).equals(Path.of(entry).toAbsolutePath().normalize())) {
        return true;
      }
    }
    return false;
  }
}

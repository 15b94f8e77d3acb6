package dev.sandboxkit.lifecycle;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Who the workload runs as on the host: when the host is root, a uid of its own per sandbox with the
 * shared group 65534 (setpriv), else the host user.
 */
final class SandboxUser {
  private SandboxUser() {}

  /** The {@code Uid:} line of {@code /proc/PID/status} ("Uid: gone" once the process exited). */
  static String uidLine(long pid) {
    try {
      return Files.readAllLines(Path.of("/proc/" + pid + "/status")).stream()
          .filter(l -> l.startsWith("Uid:")).findFirst().orElse("Uid: ?");
    } catch (IOException e) {
      return "Uid: gone";
    }
  }

  static boolean hostIsRoot() {
    return uidLine(ProcessHandle.current().pid()).matches("Uid:\\s+0\\s.*");
  }

  /** When the host is root the workload's group is 65534: give the folder to the group (rwx). */
  static void grantSandboxUser(Path dir) throws IOException {
    if (hostIsRoot()) {
      Files.setAttribute(dir, "unix:gid", 65534);
      Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwx---"));
    }
  }
}

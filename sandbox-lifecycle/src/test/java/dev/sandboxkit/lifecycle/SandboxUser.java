package dev.sandboxkit.lifecycle;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Who the workload runs as on the host: uid 65534 when the host is root (setpriv), else the host user. */
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

  /** When the host is root the workload runs as 65534: give it the folder. */
  static void grantSandboxUser(Path dir) throws IOException {
    if (hostIsRoot()) {
      Files.setAttribute(dir, "unix:uid", 65534);
      Files.setAttribute(dir, "unix:gid", 65534);
    }
  }
}

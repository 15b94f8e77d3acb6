package dev.sandboxkit.lifecycle.internal.vm.windows;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A Windows host made of fakes: a system directory in a temp dir, a process table, a mutex. */
final class FakePlatform {
  final Path system32;
  final FakeWin32Processes processes = new FakeWin32Processes();
  final FakeWin32Mutex mutex = new FakeWin32Mutex();
  final RecordingDacl dacl = new RecordingDacl();
  final FakeTiming timing = new FakeTiming();
  final List<List<String>> launches = new ArrayList<>();
  /** What the fake WindowsSandbox.exe does: its exit code, and whether it starts VM processes (either way). */
  int launcherExit = 0;
  IOException launcherFailure;
  boolean startsVm = true;

  FakePlatform(Path tmp, boolean withExe) {
    try {
      system32 = Files.createDirectories(tmp.resolve("System32"));
      if (withExe && !Files.exists(system32.resolve("WindowsSandbox.exe"))) {
        Files.createFile(system32.resolve("WindowsSandbox.exe"));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  WindowsPlatform platform() {
    return new WindowsPlatform(true, () -> system32, Files::isRegularFile, processes, mutex, dacl,
        (exe, wsb) -> {
          launches.add(SandboxLauncher.command(exe, wsb));
          if (launcherFailure != null) {
            throw launcherFailure;
          }
          if (startsVm) {
            processes.add(5001, "WindowsSandboxServer.exe", 133_485_408_100_000_000L)
                .add(5002, "WindowsSandboxRemoteSession.exe", 133_485_408_200_000_000L)
                .add(5003, "vmmem", 133_485_408_300_000_000L);
          }
          return launcherExit;
        },
        timing);
  }
}

package dev.sandboxkit.lifecycle.internal.vm.windows;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Records which paths were protected; can be told to fail. */
final class RecordingDacl implements DaclProtector {
  final List<Path> protectedPaths = new ArrayList<>();
  IOException failure;

  @Override
  public synchronized void protect(Path path) throws IOException {
    if (failure != null) {
      throw failure;
    }
    protectedPaths.add(path.toAbsolutePath());
  }

  @Override
  public synchronized boolean isProtected(Path path) {
    return protectedPaths.contains(path.toAbsolutePath());
  }
}

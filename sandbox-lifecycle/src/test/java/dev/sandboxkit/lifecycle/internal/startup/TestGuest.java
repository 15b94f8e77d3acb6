package dev.sandboxkit.lifecycle.internal.startup;

import java.nio.file.Path;
import java.util.List;

/** A guest for the archive's unit tests: a jar and a runtime; it starts no sandbox. */
record TestGuest(Path guestJar, Path javaHome) implements GuestSandbox {
  static final List<String> FLAGS = List.of("-Xshare:auto", "-XX:TieredStopAtLevel=1");

  @Override
  public List<String> jvmFlags() {
    return FLAGS;
  }

  @Override
  public boolean root() {
    return false;
  }

  @Override
  public List<String> command(Path rendezvous, GuestCds mode) {
    throw new UnsupportedOperationException("the unit tests' trainers start no sandbox");
  }

  @Override
  public void handToSandbox(Path dir) {
    throw new UnsupportedOperationException("not a root host");
  }

  @Override
  public void kill(Process p, List<String> command) {
    p.destroyForcibly();
  }
}

package dev.sandboxkit.lifecycle.internal.vm.bubblewrap;

import dev.sandboxkit.lifecycle.NetworkAccess;
import dev.sandboxkit.lifecycle.SandboxException;
import dev.sandboxkit.lifecycle.internal.startup.GuestCds;
import dev.sandboxkit.lifecycle.internal.startup.GuestSandbox;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The bubblewrap driver's guest for the start-up component ({@link GuestSandbox}): a training or
 * check sandbox is {@code template} (a user's sandbox: its bwrap, identity, runtime, jar) without
 * mapped folders and network, with its own rendezvous folder and archive mode.
 */
record BwrapGuest(BwrapCommand.Spec template, BwrapCommand.HostLayout layout) implements GuestSandbox {
  @Override
  public Path guestJar() {
    return template.guestJar();
  }

  @Override
  public Path javaHome() {
    return template.javaHome();
  }

  @Override
  public List<String> jvmFlags() {
    return BwrapCommand.JVM_FLAGS;
  }

  @Override
  public boolean root() {
    return template.root();
  }

  @Override
  public List<String> command(Path rendezvous, GuestCds mode) {
    BwrapCommand.Spec base = new BwrapCommand.Spec(template.bwrap(), template.root(), template.sandboxUid(),
        template.sandboxGid(), template.javaHome(), template.javaExtraRoots(), template.guestJar(), rendezvous,
        List.of(), NetworkAccess.BLOCK, GuestCds.OFF);
    return BwrapCommand.build(base.withCds(mode), layout);
  }

  @Override
  public void handToSandbox(Path dir) throws IOException {
    try {
      SandboxOwnership.hand(dir);
    } catch (SandboxException e) {
      throw new IOException(e.getMessage() + ": " + e.detail(), e);
    }
  }

  @Override
  public void kill(Process p, List<String> command) {
    CloneOrphans.killSandbox(p, command);
  }
}

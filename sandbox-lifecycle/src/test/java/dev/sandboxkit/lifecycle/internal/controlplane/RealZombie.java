package dev.sandboxkit.lifecycle.internal.controlplane;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

/**
 * A real zombie: {@code sh} starts a child that records itself and exits, then {@code exec}s a long
 * {@code sleep}, which never waits for it. The child stays in state Z until its parent dies.
 * {@link #id()} is the child's identity taken while it ran. Close kills the parent, which lets init
 * reap the zombie.
 */
public final class RealZombie implements AutoCloseable {
  private final Process parent;
  private final VmProcId id;

  private RealZombie(Process parent, VmProcId id) {
    this.parent = parent;
    this.id = id;
  }

  /** Starts the pair and waits (bounded) until the child has exited and is a zombie. */
  public static RealZombie start() throws IOException, InterruptedException {
    // The child reads a line before it exits, so the test can take its identity while it runs.
    Process parent = new ProcessBuilder("sh", "-c", "(read -r _; exit 0) & exec sleep 120").start();
    try {
      ProcessHandle child = null;
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (child == null && System.nanoTime() < deadline) {
        child = parent.toHandle().children().findFirst().orElse(null);
        if (child == null) {
          Thread.sleep(10);
        }
      }
      if (child == null) {
        throw new IllegalStateException("the child of sh did not appear within 10 s");
      }
      VmProcId id = VmProcId.of(child).orElseThrow();
      parent.getOutputStream().write('\n'); // the child's stdin: let it exit
      parent.getOutputStream().flush();
      while (!ProcState.exited(id.pid())) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("pid " + id.pid() + " did not become a zombie within 10 s");
        }
        Thread.sleep(10);
      }
      return new RealZombie(parent, id);
    } catch (IOException | InterruptedException | RuntimeException e) {
      parent.destroyForcibly();
      throw e;
    }
  }

  /** The zombie's identity (pid and creation time), recorded while it ran. */
  public VmProcId id() {
    return id;
  }

  /** Its parent, which never reaps it. */
  public Process parent() {
    return parent;
  }

  @Override
  public void close() throws InterruptedException {
    parent.destroyForcibly();
    parent.waitFor(10, TimeUnit.SECONDS);
  }
}

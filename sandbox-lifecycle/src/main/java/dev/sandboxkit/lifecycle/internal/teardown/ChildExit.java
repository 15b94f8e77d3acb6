package dev.sandboxkit.lifecycle.internal.teardown;

import dev.sandboxkit.lifecycle.internal.controlplane.VmProcId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A wait between two liveness probes that ends as soon as one of the watched processes that is a
 * child of this JVM exits. For a child, {@link ProcessHandle#onExit()} completes when the JDK's
 * reaper sees the exit (for a process this JVM spawned, that future already exists and costs
 * nothing); other processes can only be polled, so the wait is then a plain sleep. Either way the
 * caller probes again afterwards: the wake-up proves nothing by itself.
 */
final class ChildExit {
  private ChildExit() {
  }

  /** Waits up to {@code millis} (at least 1), less when a child among {@code ids} exits first. */
  static void await(List<VmProcId> ids, long millis) throws InterruptedException {
    long ms = Math.max(1, millis);
    List<CompletableFuture<ProcessHandle>> exits = childExits(ids);
    if (exits.isEmpty()) {
      Thread.sleep(ms);
      return;
    }
    try {
      CompletableFuture.anyOf(exits.toArray(new CompletableFuture<?>[0])).get(ms, TimeUnit.MILLISECONDS);
    } catch (TimeoutException | ExecutionException e) {
      // time is up (or the JDK could not watch it): probe again
    }
  }

  private static List<CompletableFuture<ProcessHandle>> childExits(List<VmProcId> ids) {
    List<CompletableFuture<ProcessHandle>> exits = new ArrayList<>();
    long self = ProcessHandle.current().pid();
    for (VmProcId id : ids) {
      Optional<ProcessHandle> h = handle(id.pid());
      if (h.isPresent() && h.get().parent().map(p -> p.pid() == self).orElse(false)) {
        exits.add(h.get().onExit());
      }
    }
    return exits;
  }

  private static Optional<ProcessHandle> handle(long pid) {
    if (pid <= 0 || pid == ProcessHandle.current().pid()) {
      return Optional.empty();
    }
    try {
      return ProcessHandle.of(pid);
    } catch (SecurityException | UnsupportedOperationException e) {
      return Optional.empty();
    }
  }
}

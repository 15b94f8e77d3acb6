package dev.sandboxkit.lifecycle.internal.session;

import dev.sandboxkit.lifecycle.ExecutionResult;
import dev.sandboxkit.lifecycle.SandboxException;
import dev.sandboxkit.lifecycle.SandboxListener;
import dev.sandboxkit.lifecycle.internal.vm.ArchiveEvents;

/**
 * Forwards one sandbox's events with its id (set before the first event: the start picks the id,
 * then creates the run dir of that name); a throwing listener is logged and ignored.
 */
final class SafeListener {
  /** The logger, created on first use: the launch path never starts the logging backend. */
  private static final class Log {
    static final System.Logger LOG = System.getLogger(SafeListener.class.getName());
  }

  private final SandboxListener d;
  private volatile String id = "";

  SafeListener(SandboxListener d) {
    this.d = d;
  }

  /** The driver's archive events, forwarded as this sandbox's. */
  ArchiveEvents archiveEvents() {
    return new ArchiveEvents() {
      @Override
      public void start() {
        archiveStart();
      }

      @Override
      public void end() {
        archiveEnd();
      }

      @Override
      public void failed(String reason) {
        archiveFailed(reason);
      }
    };
  }

  void id(String sandboxId) {
    this.id = sandboxId;
  }

  String id() {
    return id;
  }

  private void call(Runnable r) {
    try {
      r.run();
    } catch (Exception e) { // also a checked exception thrown sneakily (e.g. from Kotlin)
      Log.LOG.log(System.Logger.Level.WARNING, "listener threw " + e + " (ignored)");
    }
  }

  void prepareStart() { call(() -> d.prepareStart(id)); }
  void prepareEnd() { call(() -> d.prepareEnd(id)); }
  void prepareFailed(SandboxException e) { call(() -> d.prepareFailed(id, e)); }
  void archiveStart() { call(() -> d.archiveStart(id)); }
  void archiveEnd() { call(() -> d.archiveEnd(id)); }
  void archiveFailed(String reason) { call(() -> d.archiveFailed(id, reason)); }
  void launchStart() { call(() -> d.launchStart(id)); }
  void launchEnd() { call(() -> d.launchEnd(id)); }
  void launchFailed(SandboxException e) { call(() -> d.launchFailed(id, e)); }
  void rendezvousStart() { call(() -> d.rendezvousStart(id)); }
  void rendezvousEnd() { call(() -> d.rendezvousEnd(id)); }
  void rendezvousFailed(SandboxException e) { call(() -> d.rendezvousFailed(id, e)); }
  void handshakeStart() { call(() -> d.handshakeStart(id)); }
  void handshakeEnd() { call(() -> d.handshakeEnd(id)); }
  void handshakeFailed(SandboxException e) { call(() -> d.handshakeFailed(id, e)); }
  void execStart(String execId) { call(() -> d.execStart(id, execId)); }
  void execEnd(String execId, ExecutionResult r) { call(() -> d.execEnd(id, execId, r)); }
  void execFailed(String execId, SandboxException e) { call(() -> d.execFailed(id, execId, e)); }
  void teardownStart() { call(() -> d.teardownStart(id)); }
  void teardownEnd() { call(() -> d.teardownEnd(id)); }
  void teardownFailed(SandboxException e) { call(() -> d.teardownFailed(id, e)); }
}

package dev.sandboxkit.lifecycle.internal.oneshot;

import dev.sandboxkit.lifecycle.ExecutionResult;
import dev.sandboxkit.lifecycle.SandboxException;
import dev.sandboxkit.lifecycle.SandboxListener;

/** Forwards events; a throwing listener is logged and ignored. */
final class SafeListener implements SandboxListener {
  /** The logger, created on first use: the launch path never starts the logging backend (oneshot.Warmup). */
  private static final class Log {
    static final System.Logger LOG = System.getLogger(SafeListener.class.getName());
  }
  private final SandboxListener d;

  SafeListener(SandboxListener d) {
    this.d = d;
  }

  private void call(Runnable r) {
    try {
      r.run();
    } catch (Exception e) { // also a checked exception thrown sneakily (e.g. from Kotlin)
      Log.LOG.log(System.Logger.Level.WARNING, "listener threw " + e + " (ignored)");
    }
  }

  @Override public void prepareStart() { call(d::prepareStart); }
  @Override public void prepareEnd() { call(d::prepareEnd); }
  @Override public void prepareFailed(SandboxException e) { call(() -> d.prepareFailed(e)); }
  @Override public void launchStart() { call(d::launchStart); }
  @Override public void launchEnd() { call(d::launchEnd); }
  @Override public void launchFailed(SandboxException e) { call(() -> d.launchFailed(e)); }
  @Override public void rendezvousStart() { call(d::rendezvousStart); }
  @Override public void rendezvousEnd() { call(d::rendezvousEnd); }
  @Override public void rendezvousFailed(SandboxException e) { call(() -> d.rendezvousFailed(e)); }
  @Override public void handshakeStart() { call(d::handshakeStart); }
  @Override public void handshakeEnd() { call(d::handshakeEnd); }
  @Override public void handshakeFailed(SandboxException e) { call(() -> d.handshakeFailed(e)); }
  @Override public void execStart() { call(d::execStart); }
  @Override public void execEnd(ExecutionResult r) { call(() -> d.execEnd(r)); }
  @Override public void execFailed(SandboxException e) { call(() -> d.execFailed(e)); }
  @Override public void teardownStart() { call(d::teardownStart); }
  @Override public void teardownEnd() { call(d::teardownEnd); }
  @Override public void teardownFailed(SandboxException e) { call(() -> d.teardownFailed(e)); }
}

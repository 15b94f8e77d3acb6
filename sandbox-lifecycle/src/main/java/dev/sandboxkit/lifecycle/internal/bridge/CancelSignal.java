package dev.sandboxkit.lifecycle.internal.bridge;

/**
 * A request, from any thread, to cancel the execution an {@link ExecCall} is running: the call's
 * thread is woken and sends {@code Cancel} once (only used when the guest announced {@code cancel}).
 */
public final class CancelSignal {
  private volatile boolean requested;
  private volatile boolean sent;
  private volatile GuestConnection attached;

  /** Asks for the Cancel; wakes the execution's thread if it is waiting for the guest. */
  public void request() {
    requested = true;
    GuestConnection c = attached;
    if (c != null) {
      c.wakeup();
    }
  }

  public boolean requested() {
    return requested;
  }

  /** Whether Cancel went to the guest. */
  public boolean sent() {
    return sent;
  }

  void markSent() {
    sent = true;
  }

  void attach(GuestConnection conn) {
    attached = conn;
    if (requested) {
      conn.wakeup();
    }
  }

  void detach() {
    attached = null;
  }
}

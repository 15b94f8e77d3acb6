package dev.sandboxkit.lifecycle.internal.bridge;

import java.nio.charset.StandardCharsets;

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

  /** {@code {"type":"Cancel","exec_id":"…"}} as one control frame. */
  static byte[] frame(String execId) {
    StringBuilder json = new StringBuilder("{\"type\":\"Cancel\",\"exec_id\":\"");
    for (int i = 0; i < execId.length(); i++) {
      char ch = execId.charAt(i);
      if (ch == '"' || ch == '\\' || ch < 0x20) {
        json.append(String.format("\\u%04x", (int) ch));
      } else {
        json.append(ch);
      }
    }
    byte[] body = json.append("\"}").toString().getBytes(StandardCharsets.UTF_8);
    byte[] frame = new byte[4 + body.length];
    frame[0] = (byte) body.length;
    frame[1] = (byte) (body.length >>> 8);
    frame[2] = (byte) (body.length >>> 16);
    frame[3] = (byte) (body.length >>> 24);
    System.arraycopy(body, 0, frame, 4, body.length);
    return frame;
  }
}

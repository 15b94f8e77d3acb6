package dev.sandboxkit.guest.listener;

/** The agent could not bind or publish its address; the message names the path or address. */
public final class ListenerException extends Exception {
  private static final long serialVersionUID = 1L;

  public ListenerException(String message, Throwable cause) {
    super(message, cause);
  }
}

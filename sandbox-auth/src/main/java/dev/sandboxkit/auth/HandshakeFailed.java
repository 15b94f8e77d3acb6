package dev.sandboxkit.auth;

/** User event fired by {@link HandshakeHandler} just before it closes a channel that failed. */
public record HandshakeFailed(HandshakeException.Reason reason) {}

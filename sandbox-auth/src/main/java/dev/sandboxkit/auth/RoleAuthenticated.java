package dev.sandboxkit.auth;

/** User event fired by {@link HandshakeHandler} once a channel has proven the nonce. */
public record RoleAuthenticated(ChannelRole role) {}

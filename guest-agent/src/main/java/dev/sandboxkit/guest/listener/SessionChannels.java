package dev.sandboxkit.guest.listener;

import io.netty.channel.Channel;

/** The four channels of a session: control for its lifetime, data for the first job. */
public record SessionChannels(Channel control, DataChannels data) {
  /** The control channel's inbound messages. */
  public ControlInbox inbox() {
    return control.pipeline().get(ControlInbox.class);
  }
}

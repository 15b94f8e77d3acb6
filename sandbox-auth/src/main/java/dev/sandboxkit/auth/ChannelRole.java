package dev.sandboxkit.auth;

import java.util.Optional;

/** What a host-to-guest socket is for: the byte after the nonce. */
public enum ChannelRole {
  CONTROL(0, "control"),
  STDIN(1, "stdin"),
  STDOUT(2, "stdout"),
  STDERR(3, "stderr");

  private static final ChannelRole[] BY_WIRE = values();

  private final int wire;
  private final String label;

  ChannelRole(int wire, String label) {
    this.wire = wire;
    this.label = label;
  }

  /** The role byte on the wire. */
  public byte wireValue() {
    return (byte) wire;
  }

  /** Stable lower-case name used in messages ("control", "stdin", "stdout", "stderr"). */
  public String label() {
    return label;
  }

  /** The role for a wire byte (0..255), or empty for anything but 0..3. */
  public static Optional<ChannelRole> fromWire(int b) {
    return b >= 0 && b < BY_WIRE.length ? Optional.of(BY_WIRE[b]) : Optional.empty();
  }
}

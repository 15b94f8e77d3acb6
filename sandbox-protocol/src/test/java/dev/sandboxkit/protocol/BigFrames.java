package dev.sandboxkit.protocol;

/** Exec messages whose JSON body is an exact number of bytes, for the 16 MiB boundary tests. */
final class BigFrames {
  private BigFrames() {}

  /** An Exec whose compact JSON is exactly {@code jsonLength} bytes. */
  static ControlMessage.Exec execWithJsonLength(int jsonLength) {
    int overhead = ControlJson.toJson(new ControlMessage.Exec("big", "", "", 0)).length;
    return new ControlMessage.Exec("big", "a".repeat(jsonLength - overhead), "", 0);
  }
}

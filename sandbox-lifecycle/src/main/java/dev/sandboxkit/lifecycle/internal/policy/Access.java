package dev.sandboxkit.lifecycle.internal.policy;

/**
 * What a policy entry grants. For the same path the strongest restriction wins: {@link #DENIED}
 * beats {@link #READ_ONLY} beats {@link #READ_WRITE} (declaration order, strongest last).
 */
public enum Access {
  READ_WRITE("read-write"),
  READ_ONLY("read-only"),
  DENIED("denied");

  private final String label;

  Access(String label) {
    this.label = label;
  }

  /** "read-write", "read-only" or "denied", for messages. */
  public String label() {
    return label;
  }

  /** The stronger of the two (denied over read-only over read-write). */
  public Access strongest(Access other) {
    return compareTo(other) >= 0 ? this : other;
  }
}

package dev.sandboxkit.lifecycle.internal.vm;

/**
 * What a driver reports while it builds a one-time start-up artefact (the bubblewrap guest's
 * class-data archive) for a sandbox about to start or for an explicit prepare: the session turns
 * these into the {@code SandboxListener}'s archive events. Called on the thread doing the work;
 * must return quickly and not throw.
 */
public interface ArchiveEvents {
  /** Reports nothing. */
  ArchiveEvents NONE = new ArchiveEvents() {};

  /** A training starts now (it was missing for this guest jar and runtime). */
  default void start() {}

  /** The training finished and the archive is published. */
  default void end() {}

  /** The training failed: {@code reason} says what failed (the sandbox starts without an archive). */
  default void failed(String reason) {}
}

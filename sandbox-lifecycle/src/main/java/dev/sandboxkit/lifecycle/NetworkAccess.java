package dev.sandboxkit.lifecycle;

/** What network the sandboxed command may use. */
public enum NetworkAccess {
  /** No network but loopback inside the sandbox (the default). */
  BLOCK,
  /** The host's network. */
  ALLOW
}

package dev.sandboxkit.lifecycle.internal.oneshot;

import dev.sandboxkit.lifecycle.SandboxListener;
import java.nio.file.Path;
import java.time.Duration;

/** A runner's configuration. */
public record RunSettings(
    SandboxListener listener,
    Path stateRoot,
    Duration rendezvousPoll,
    Duration rendezvousTimeout,
    boolean forceReclaim) {}

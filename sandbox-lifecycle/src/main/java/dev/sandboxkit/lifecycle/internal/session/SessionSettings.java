package dev.sandboxkit.lifecycle.internal.session;

import dev.sandboxkit.lifecycle.SandboxListener;
import dev.sandboxkit.lifecycle.SandboxPolicy;
import dev.sandboxkit.lifecycle.internal.bridge.ExecCall;
import dev.sandboxkit.lifecycle.internal.rendezvous.RendezvousWaiter;
import dev.sandboxkit.lifecycle.internal.teardown.BlockingTeardown;
import dev.sandboxkit.lifecycle.internal.teardown.ForceReclaim;
import dev.sandboxkit.lifecycle.internal.teardown.MarkerStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * A sandbox's configuration (the public builders fill it).
 *
 * @param idleTimeout close the sandbox after this long without an execution; empty = never
 * @param maxLifetime close the sandbox this long after it started; empty = never
 * @param guestJar the guest agent jar; empty = the default lookup ({@code GuestJar.locate()})
 * @param cacheDir the class-data archive folder; empty = the default
 * @param classDataArchives whether to use class-data archives; empty = the default
 * @param teardownBudget how long teardown waits for the sandbox to be confirmed gone
 * @param deadlineGrace how long after an execution's timeout the host waits for its Exit
 */
public record SessionSettings(
    SandboxListener listener,
    SandboxPolicy policy,
    Path stateRoot,
    Duration rendezvousPoll,
    Duration rendezvousTimeout,
    boolean forceReclaim,
    Optional<Duration> idleTimeout,
    Optional<Duration> maxLifetime,
    Optional<Path> guestJar,
    Optional<Path> cacheDir,
    Optional<Boolean> classDataArchives,
    Duration teardownBudget,
    Duration deadlineGrace) {

  public SessionSettings {
    Objects.requireNonNull(listener, "listener");
    Objects.requireNonNull(policy, "policy");
    Objects.requireNonNull(stateRoot, "stateRoot");
    Objects.requireNonNull(rendezvousPoll, "rendezvousPoll");
    Objects.requireNonNull(rendezvousTimeout, "rendezvousTimeout");
    Objects.requireNonNull(idleTimeout, "idleTimeout");
    Objects.requireNonNull(maxLifetime, "maxLifetime");
    Objects.requireNonNull(guestJar, "guestJar");
    Objects.requireNonNull(cacheDir, "cacheDir");
    Objects.requireNonNull(classDataArchives, "classDataArchives");
    Objects.requireNonNull(teardownBudget, "teardownBudget");
    Objects.requireNonNull(deadlineGrace, "deadlineGrace");
    new RendezvousWaiter(rendezvousPoll, rendezvousTimeout); // validates
    idleTimeout.ifPresent(d -> requirePositive(d, "idleTimeout"));
    maxLifetime.ifPresent(d -> requirePositive(d, "maxLifetime"));
  }

  private static void requirePositive(Duration d, String what) {
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(what + " must be positive, got " + d);
    }
  }

  /** The defaults: default policy, no listener, no idle timeout or lifetime cap. */
  public static SessionSettings defaults() {
    return new SessionSettings(SandboxListener.NONE, SandboxPolicy.DEFAULT, MarkerStore.defaultRoot(),
        RendezvousWaiter.DEFAULT_POLL, RendezvousWaiter.DEFAULT_TIMEOUT, ForceReclaim.requested(),
        Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
        BlockingTeardown.DEFAULT_BUDGET, ExecCall.WATCHDOG_GRACE);
  }

  public SessionSettings withListener(SandboxListener l) {
    return new SessionSettings(l, policy, stateRoot, rendezvousPoll, rendezvousTimeout, forceReclaim,
        idleTimeout, maxLifetime, guestJar, cacheDir, classDataArchives, teardownBudget, deadlineGrace);
  }

  public SessionSettings withPolicy(SandboxPolicy p) {
    return new SessionSettings(listener, p, stateRoot, rendezvousPoll, rendezvousTimeout, forceReclaim,
        idleTimeout, maxLifetime, guestJar, cacheDir, classDataArchives, teardownBudget, deadlineGrace);
  }

  public SessionSettings withStateRoot(Path root) {
    return new SessionSettings(listener, policy, root, rendezvousPoll, rendezvousTimeout, forceReclaim,
        idleTimeout, maxLifetime, guestJar, cacheDir, classDataArchives, teardownBudget, deadlineGrace);
  }

  public SessionSettings withRendezvous(Duration poll, Duration timeout) {
    return new SessionSettings(listener, policy, stateRoot, poll, timeout, forceReclaim,
        idleTimeout, maxLifetime, guestJar, cacheDir, classDataArchives, teardownBudget, deadlineGrace);
  }

  public SessionSettings withForceReclaim(boolean force) {
    return new SessionSettings(listener, policy, stateRoot, rendezvousPoll, rendezvousTimeout, force,
        idleTimeout, maxLifetime, guestJar, cacheDir, classDataArchives, teardownBudget, deadlineGrace);
  }

  public SessionSettings withLifetime(Optional<Duration> idle, Optional<Duration> max) {
    return new SessionSettings(listener, policy, stateRoot, rendezvousPoll, rendezvousTimeout, forceReclaim,
        idle, max, guestJar, cacheDir, classDataArchives, teardownBudget, deadlineGrace);
  }

  public SessionSettings withGuest(Optional<Path> jar, Optional<Path> cache, Optional<Boolean> cds) {
    return new SessionSettings(listener, policy, stateRoot, rendezvousPoll, rendezvousTimeout, forceReclaim,
        idleTimeout, maxLifetime, jar, cache, cds, teardownBudget, deadlineGrace);
  }

  public SessionSettings withBudgets(Duration teardown, Duration grace) {
    return new SessionSettings(listener, policy, stateRoot, rendezvousPoll, rendezvousTimeout, forceReclaim,
        idleTimeout, maxLifetime, guestJar, cacheDir, classDataArchives, teardown, grace);
  }
}

package dev.sandboxkit.lifecycle.internal.startup;

import dev.sandboxkit.lifecycle.SandboxDriver;
import dev.sandboxkit.lifecycle.SandboxException;
import dev.sandboxkit.lifecycle.internal.controlplane.Ids;
import dev.sandboxkit.lifecycle.internal.teardown.Marker;
import dev.sandboxkit.lifecycle.internal.vm.DriverSpi;
import dev.sandboxkit.lifecycle.internal.vm.GuestJar;
import dev.sandboxkit.protocol.ControlMessage;
import dev.sandboxkit.protocol.FrameCodec;
import dev.sandboxkit.protocol.FrameTooLongException;
import java.io.File;
import java.util.List;
import java.util.function.Supplier;

/**
 * Start-up work for the one run a process is about to make, done on a second thread while the
 * first one is still busy (the CLI starts it in its first millisecond and builds its picocli model
 * and parses meanwhile, ~50 ms). A cold JVM spends most of the way to the sandbox's launch loading,
 * linking and initialising classes and interpreting code it runs once; done here first, on the
 * second core, the run finds most of that done (measured: bwrap spawned ~35-45 ms earlier). In the
 * order the run needs them: the driver (from the supplier the caller passes, e.g. {@code SandboxDrivers::auto}), the
 * one-shot classes, an exec frame and the JSON classes, the guest jar lookup, this process's
 * identity and the marker's JSON, the driver's own warm-up ({@link DriverSpi#warmUp}: its checks
 * and command builder on inputs of its own), the process-spawn classes. Off with the switch
 * {@code prestart} ({@link Speedup#PRESTART}).
 *
 * <p>The caller runs it on a thread of its own ({@code new Thread(new Prestart(SandboxDrivers::auto))}, a daemon) and
 * never waits for it. Side-effect free: it reads, computes and discards; it creates no file, starts
 * no process and logs nothing, so a run behaves, fails and reports exactly as without it (it redoes
 * every step itself and takes over no result). Never throws.
 */
public final class Prestart implements Runnable {
  private static final String TEARDOWN = "dev.sandboxkit.lifecycle.internal.teardown.";
  private static final String SESSION = "dev.sandboxkit.lifecycle.internal.session.";
  private static final String CONTROLPLANE = "dev.sandboxkit.lifecycle.internal.controlplane.";
  /** Classes the run initialises that the steps below do not reach, in the order it needs them. */
  static final List<String> CLASSES = List.of(
      "dev.sandboxkit.lifecycle.internal.oneshot.OneShotRun", SESSION + "SessionStart", SESSION + "LeftoverReconcile",
      SESSION + "SafeListener", SESSION + "LiveSession", "dev.sandboxkit.lifecycle.internal.rendezvous.RendezvousWaiter",
      TEARDOWN + "MarkerStore", CONTROLPLANE + "OwnerOnly", TEARDOWN + "TeardownGuard",
      TEARDOWN + "VmOwnership$LaunchInFlight", CONTROLPLANE + "AtomicJson", "dev.sandboxkit.auth.NonceFile",
      "dev.sandboxkit.lifecycle.internal.vm.bubblewrap.BubblewrapInstance");
  /** The JDK's process-spawn classes ({@code ProcessBuilder.start}, the exit watcher). */
  static final List<String> SPAWN_CLASSES = List.of(
      "java.lang.ProcessImpl", "java.lang.ProcessImpl$ProcessPipeOutputStream",
      "java.lang.ProcessImpl$ProcessPipeInputStream", "java.lang.ProcessHandleImpl$ExitCompletion",
      "java.util.concurrent.CompletableFuture", "java.util.concurrent.ForkJoinPool");

  private final Supplier<? extends SandboxDriver> driver;

  /**
   * For a run with the driver {@code driver} supplies, called on the running thread (the CLI passes
   * {@code SandboxDrivers::auto}: creating the default driver is part of the head start). Taking a
   * supplier keeps this internal package from depending on the public entry points (no package cycle).
   */
  public Prestart(Supplier<? extends SandboxDriver> driver) {
    this.driver = java.util.Objects.requireNonNull(driver, "driver");
  }

  @Override
  public void run() {
    SandboxDriver d = null;
    try {
      d = driver.get();
    } catch (RuntimeException e) {
      // only a lost head start: the run creates its driver and reports what fails
    }
    initialise(CLASSES);
    try {
      FrameCodec.encode(new ControlMessage.Exec(Ids.uuid().toString(), "true", "", 0));
      GuestJar.locate();
      Marker.forCurrentProcess(List.of()).toJson();
    } catch (FrameTooLongException | SandboxException | RuntimeException e) {
      // only a lost head start
    }
    if (d instanceof DriverSpi) {
      try {
        ((DriverSpi) d).warmUp();
      } catch (RuntimeException e) {
        // a driver's warm-up failing costs only the head start
      }
    }
    ProcessBuilder.Redirect.appendTo(new File("sandbox.log"));
    initialise(SPAWN_CLASSES);
  }

  private static void initialise(List<String> names) {
    initialise(names, Prestart.class.getClassLoader());
  }

  /** Loads and initialises the named classes ({@link ClassPreload#initialise}). */
  public static void initialise(List<String> names, ClassLoader loader) {
    ClassPreload.initialise(names, loader);
  }
}

package dev.sandboxkit.lifecycle.internal.startup;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * What the guest's class-data archive ({@link GuestArchive}, {@link CdsTrainer}) needs from the
 * driver whose guest it serves: the guest it is for, and sandboxes to train and check it in. The
 * driver implements it (the bubblewrap driver from a run's command template), so this package never
 * depends on a driver: the dependency points one way, driver to start-up.
 */
public interface GuestSandbox {
  /** The guest agent jar (part of the archive's key). */
  Path guestJar();

  /** The real path of the Java runtime the guest runs on (part of the archive's key). */
  Path javaHome();

  /** The guest JVM's flags that decide whether an archive matches (part of the archive's key). */
  List<String> jvmFlags();

  /** Whether the host runs as root: the training's folders are then handed to the sandbox's uid. */
  boolean root();

  /**
   * The command line of a sandbox like a user's but without mapped folders and without network,
   * whose agent binds in {@code rendezvous} and whose guest JVM uses the archive as {@code mode}
   * says ({@link GuestCds.Train} or {@link GuestCds.Verify}).
   */
  List<String> command(Path rendezvous, GuestCds mode);

  /** Root host: makes {@code dir} and its entries the sandbox identity's, so the agent may write there. */
  void handToSandbox(Path dir) throws IOException;

  /**
   * Kills what {@code p} (started from {@code command}) left running: its tree, children first,
   * then {@code p}, and reaps it; also what the sandbox cloned that escaped both.
   */
  void kill(Process p, List<String> command);

}

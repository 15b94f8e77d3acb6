package dev.sandboxkit.cli;

import dev.sandboxkit.cli.session.DaemonLauncher;
import dev.sandboxkit.cli.session.SessionException;
import dev.sandboxkit.cli.session.SessionManager;
import dev.sandboxkit.cli.session.SessionStore;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** What the session verbs share: the manager on the default state root, errors as CLI errors. */
final class Sessions {
  private Sessions() {}

  static SessionStore store() {
    return new SessionStore(SessionStore.defaultRoot());
  }

  static SessionManager manager(Backend backend) {
    return new SessionManager(store(), DaemonLauncher.READY_DEADLINE, driver -> {
      Backend.CleanupReport r = backend.cleanup(driver, false);
      return r.refused() ? Optional.of(String.join("; ", r.lines())) : Optional.empty();
    });
  }

  /** A session failure as the CLI's one-line error; exit 125 (nothing was run). */
  static CliException toCli(SessionException e) {
    return new CliException(Text.escape(e.getMessage()), Text.escape(e.whatToDo()),
        e.getCause() == null ? "" : String.valueOf(e.getCause()), ExitCodes.SANDBOX_FAILED);
  }

  /**
   * Refuses to map a folder that holds the session state (records, secrets, daemon sockets): the
   * workload must never reach another session's daemon.
   */
  static void refuseStateRoot(List<Path> mapped, Path stateRoot) {
    Path root = stateRoot.toAbsolutePath().normalize();
    for (Path p : mapped) {
      Path m = p.toAbsolutePath().normalize();
      if (root.startsWith(m) || m.startsWith(root)) {
        throw CliException.usage("refusing to map " + Text.escape(m.toString()) + ": it holds "
            + "sandboxkit's session state (" + Text.escape(root.toString()) + ")",
            "map a folder that does not contain it");
      }
    }
  }
}

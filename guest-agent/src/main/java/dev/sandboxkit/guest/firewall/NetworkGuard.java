package dev.sandboxkit.guest.firewall;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Locks the sandbox's network down to the host connection, or says why it could not (fail closed:
 * jobs are then refused). {@code --network allow} skips everything.
 */
public final class NetworkGuard {
  private static final System.Logger LOG = System.getLogger(NetworkGuard.class.getName());

  private final NetworkMode mode;
  private final boolean windows;
  private final Netsh netsh;
  private String preAuthFailure = "";

  NetworkGuard(NetworkMode mode, boolean windows, Netsh netsh) {
    this.mode = mode;
    this.windows = windows;
    this.netsh = netsh;
  }

  /** A guard for the running OS. */
  public static NetworkGuard create(NetworkMode mode) {
    boolean windows =
        System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).startsWith("windows");
    return new NetworkGuard(mode, windows, Netsh.PROCESS);
  }

  /** Windows, before bind: pre-authorizes the agent's program. Elsewhere nothing. */
  public void beforeBind() {
    if (mode == NetworkMode.ALLOW || !windows) {
      return;
    }
    String java = Path.of(System.getProperty("java.home"), "bin", "java.exe").toString();
    preAuthFailure = run(NetshCommands.preAuthorize(java));
  }

  /**
   * Once the host's control channel has arrived: locks down (Windows) or verifies (Linux).
   *
   * @param hostIp the host's IP as seen on the control channel, or null for a Unix socket
   * @param listenerPort the TCP port the agent listens on, or -1 for a Unix socket
   */
  public NetworkVerdict lockDown(String hostIp, int listenerPort) {
    if (mode == NetworkMode.ALLOW) {
      return NetworkVerdict.OK;
    }
    if (!windows) {
      NetworkVerdict v =
          LoopbackOnlyCheck.checkCurrentNamespace(Path.of("/proc/net/dev"), Path.of("/sys/class/net"));
      if (!v.jobsAllowed()) {
        LOG.log(System.Logger.Level.WARNING, v.reason());
      }
      return v;
    }
    if (hostIp == null || listenerPort < 0) {
      return NetworkVerdict.refuse(
          "network lockdown failed: the Windows firewall lockdown needs the tcp transport");
    }
    String failure = run(NetshCommands.lockDown(hostIp, listenerPort));
    if (!failure.isEmpty()) {
      String rollback = run(NetshCommands.failClosed());
      if (!rollback.isEmpty()) {
        LOG.log(System.Logger.Level.WARNING, "the fail-closed firewall policy could not be set either: {0}",
            rollback);
      }
      return NetworkVerdict.refuse("network lockdown failed: " + failure + "; refusing to run jobs");
    }
    if (!preAuthFailure.isEmpty()) {
      LOG.log(System.Logger.Level.WARNING, "pre-authorization had failed earlier: {0}", preAuthFailure);
    }
    return NetworkVerdict.OK;
  }

  /** Runs commands in order; returns "" or the first failure (the rest are not run). */
  private String run(List<List<String>> commands) {
    for (List<String> c : commands) {
      String label = String.join(" ", c.subList(0, Math.min(c.size(), 6)));
      try {
        int exit = netsh.run(c);
        if (exit != 0 && !NetshCommands.mayFail(c)) {
          return "'" + label + "' exited with " + exit;
        }
      } catch (IOException e) {
        return "cannot run '" + label + "': " + e.getMessage();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return "interrupted while running '" + label + "'";
      } catch (RuntimeException e) {
        return "cannot run '" + label + "': " + e;
      }
    }
    return "";
  }
}

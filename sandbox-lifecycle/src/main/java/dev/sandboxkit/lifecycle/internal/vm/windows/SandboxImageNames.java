package dev.sandboxkit.lifecycle.internal.vm.windows;

import java.util.Locale;
import java.util.Map;

/**
 * Which host processes count as a running Windows Sandbox (pure), decided per image name.
 *
 * <p>mxc's teardown treats every {@code WindowsSandbox*} image as part of the VM, and a
 * {@code WindowsSandbox*} process that cannot be opened then makes every run busy. That is right
 * for the processes mxc names (the VM's own: the launcher, client, remote session and server),
 * whose presence proves a VM even when they cannot be opened (they then fail closed, W3). It is
 * wrong for a helper that is not a VM, such as a service running as SYSTEM on 24H2, which exists
 * without any sandbox and can never be opened by the user: it would wedge the host even with
 * {@code --force-reclaim}. So:
 *
 * <table>
 *   <caption>Image names</caption>
 *   <tr><th>image name (any case)</th><th>role</th><th>when it cannot be opened</th></tr>
 *   <tr><td>WindowsSandbox.exe, WindowsSandboxClient.exe, WindowsSandboxRemoteSession.exe,
 *       WindowsSandboxServer.exe</td><td>{@link Role#VM}</td><td>present but unidentifiable: busy
 *       (fail closed)</td></tr>
 *   <tr><td>any other WindowsSandbox*</td><td>{@link Role#HELPER}</td><td>ignored (it proves no VM);
 *       when it can be opened it is part of the snapshot as before, so a helper of our own VM is
 *       still torn down with it</td></tr>
 *   <tr><td>vmmem*, vmwp.exe and everything else</td><td>{@link Role#NONE}</td><td>-</td></tr>
 * </table>
 */
final class SandboxImageNames {
  /** What an image name means for "is a sandbox running". */
  enum Role {
    /** A process of the VM itself (mxc's teardown list): counts even when it cannot be opened. */
    VM,
    /** Another {@code WindowsSandbox*} process: counts only when it can be opened. */
    HELPER,
    /** Not a sandbox host process ({@code vmmem} is SYSTEM-owned, may linger, blocks nothing). */
    NONE
  }

  /** mxc's list, lower case. */
  static final Map<String, Role> KNOWN = Map.of(
      "windowssandbox.exe", Role.VM,
      "windowssandboxclient.exe", Role.VM,
      "windowssandboxremotesession.exe", Role.VM,
      "windowssandboxserver.exe", Role.VM);

  private SandboxImageNames() {}

  static Role role(String imageName) {
    String lower = imageName.toLowerCase(Locale.ROOT);
    Role known = KNOWN.get(lower);
    if (known != null) {
      return known;
    }
    return lower.startsWith(WindowsSandboxProcesses.PREFIX.toLowerCase(Locale.ROOT)) ? Role.HELPER : Role.NONE;
  }
}

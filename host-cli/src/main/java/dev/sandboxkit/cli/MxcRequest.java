package dev.sandboxkit.cli;

import dev.sandboxkit.lifecycle.NetworkAccess;
import java.util.List;
import java.util.Optional;

/**
 * A one-shot mxc request ({@code containment: windows_sandbox | vm | bubblewrap | process}) after parsing and the
 * parse-time checks. Filesystem lists are already de-overlapped (deny > read-only > read-write).
 *
 * @param hasProcess whether the request has a {@code process} section
 * @param commandLine {@code process.commandLine}; empty when absent (a CLI command must be given)
 * @param cwd {@code process.cwd}, sent unchanged to the guest; "" = the guest's default
 * @param timeoutMs {@code process.timeout}, unsigned 32-bit ms; 0 = no timeout
 * @param env {@code process.env}, accepted and ignored (the protocol carries no environment)
 * @param network {@code network.defaultPolicy}; empty when not given
 * @param proxy {@code network.proxy} as a URL; empty when not given
 * @param notes what the user should know (ignored fields, resolved overlaps), in order
 * @param containment the backend the request asks for: {@link #WINDOWS_SANDBOX} ({@code windows_sandbox}
 *     or {@code vm}) or {@link #BUBBLEWRAP} ({@code bubblewrap}, or {@code process} on Linux)
 */
record MxcRequest(
    boolean hasProcess,
    Optional<String> commandLine,
    String cwd,
    long timeoutMs,
    List<String> env,
    List<String> readWritePaths,
    List<String> readOnlyPaths,
    List<String> deniedPaths,
    Optional<NetworkAccess> network,
    List<String> allowedHosts,
    List<String> blockedHosts,
    Optional<String> proxy,
    List<Note> notes,
    String containment) {
  static final String WINDOWS_SANDBOX = "windows_sandbox";
  static final String BUBBLEWRAP = "bubblewrap";

  /** A message for the user; {@code verboseOnly} ones are shown with {@code --verbose} only. */
  record Note(String text, boolean verboseOnly) {}
}

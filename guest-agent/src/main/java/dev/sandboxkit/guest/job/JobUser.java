package dev.sandboxkit.guest.job;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The identity the agent starts jobs as when the host asks for one apart from its own (root host:
 * the agent keeps uid 0 with only setuid, setgid, setpcap and kill; every job runs as the sandbox's
 * own uid). Read from {@link #ENV} ({@code UID:GID}); the job starts through {@code setpriv} with
 * that uid and gid, no supplementary groups, no capabilities (empty bounding and inheritable sets)
 * and no new privileges. A malformed value fails every job (never a job as the agent's uid).
 */
record JobUser(long uid, long gid) {
  static final String ENV = "SANDBOXKIT_JOB_USER";
  static final String SETPRIV = "/usr/bin/setpriv";
  private static final Pattern FORM = Pattern.compile("([1-9][0-9]{0,9}):([1-9][0-9]{0,9})");

  /**
   * The job identity named by {@code value} (the environment variable's), empty when unset.
   *
   * @throws IOException when it is set but not {@code UID:GID} with both above 0
   */
  static Optional<JobUser> parse(String value) throws IOException {
    if (value == null) {
      return Optional.empty();
    }
    Matcher m = FORM.matcher(value);
    if (!m.matches()) {
      throw new IOException("the agent's " + ENV + " is not UID:GID (both above 0): the job is not started");
    }
    return Optional.of(new JobUser(Long.parseLong(m.group(1)), Long.parseLong(m.group(2))));
  }

  /** {@code command} run as this identity. */
  List<String> wrap(List<String> command) {
    List<String> a = new ArrayList<>(List.of(SETPRIV, "--reuid=" + uid, "--regid=" + gid, "--clear-groups",
        "--inh-caps=-all", "--bounding-set=-all", "--no-new-privs", "--"));
    a.addAll(command);
    return a;
  }
}

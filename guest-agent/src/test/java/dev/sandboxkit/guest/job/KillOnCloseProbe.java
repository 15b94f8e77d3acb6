package dev.sandboxkit.guest.job;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * For {@code WindowsJobIntegrationTest}: starts a job whose tree is the shell and two pings, prints
 * {@value #PREFIX} and their process ids, waits for a line on stdin, then halts with no clean-up
 * (the job handle is never closed by us), so only the job object's
 * kill-on-close can end the tree.
 */
public final class KillOnCloseProbe {
  static final String PREFIX = "TREE";

  private KillOnCloseProbe() {}

  public static void main(String[] args) throws Exception {
    JobProcess p = new WindowsJobLauncher().start("start /b " + WindowsJobIntegrationTest.LONG + " & "
        + WindowsJobIntegrationTest.LONG, null, Map.of());
    List<ProcessHandle> tree = WindowsJobIntegrationTest.treeOf(p.pid(), 3);
    System.out.println(PREFIX + " " + tree.stream().map(h -> Long.toString(h.pid())).collect(Collectors.joining(" ")));
    System.out.flush();
    System.in.read();
    Runtime.getRuntime().halt(0);
  }
}

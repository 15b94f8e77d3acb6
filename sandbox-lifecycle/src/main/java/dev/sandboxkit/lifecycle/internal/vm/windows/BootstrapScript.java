package dev.sandboxkit.lifecycle.internal.vm.windows;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code rendezvous\bootstrap.cmd}: the logon script that starts the guest agent on the host's Java
 * runtime (pure; golden-file tested). It truncates {@code bootstrap.log}, appends the agent's output
 * and its exit code to it (the host reads it for diagnostics), and passes {@code --transport tcp
 * --network block --rendezvous C:\Sandbox-Rendezvous}. Lines end in CRLF; the text is ASCII.
 */
final class BootstrapScript {
  static final String FILE_NAME = "bootstrap.cmd";
  static final String LOG_NAME = "bootstrap.log";
  /** JVM options for the agent: a small, fast-starting JVM. */
  static final List<String> DEFAULT_JVM_OPTIONS = List.of("-XX:+UseSerialGC");

  private BootstrapScript() {}

  /**
   * @param jarFileName the guest jar's file name inside {@link WsbFile#GUEST_DIR}
   * @param jvmOptions options placed before {@code -jar}
   * @throws IllegalArgumentException when a value cannot be written safely (see {@link CmdQuoting})
   */
  static String render(String jarFileName, List<String> jvmOptions) {
    if (jarFileName.isEmpty() || jarFileName.contains("\\") || jarFileName.contains("/")) {
      throw new IllegalArgumentException("the guest jar name must be a plain file name, got: " + jarFileName);
    }
    String log = CmdQuoting.batchArgument(WsbFile.RENDEZVOUS_DIR + "\\" + LOG_NAME, "log path");
    List<String> command = new ArrayList<>();
    command.add(CmdQuoting.batchArgument(WsbFile.JAVA_DIR + "\\bin\\java.exe", "java path"));
    for (String option : jvmOptions) {
      command.add(CmdQuoting.batchArgument(option, "JVM option"));
    }
    command.add("-jar");
    command.add(CmdQuoting.batchArgument(WsbFile.GUEST_DIR + "\\" + jarFileName, "guest jar name"));
    command.add("--transport");
    command.add("tcp");
    command.add("--network");
    command.add("block");
    command.add("--rendezvous");
    command.add(CmdQuoting.batchArgument(WsbFile.RENDEZVOUS_DIR, "rendezvous path"));
    String nl = "\r\n";
    return "@echo off" + nl
        + "rem sandboxkit guest bootstrap, generated for one run: do not edit." + nl
        + "setlocal DisableDelayedExpansion" + nl
        + "type nul > " + log + nl
        + ">> " + log + " echo sandboxkit bootstrap: starting the guest agent" + nl
        + String.join(" ", command) + " >> " + log + " 2>&1" + nl
        + ">> " + log + " echo sandboxkit bootstrap: the guest agent exited with code %ERRORLEVEL%" + nl;
  }
}

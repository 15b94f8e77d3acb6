package dev.sandboxkit.lifecycle.internal.vm;

import dev.sandboxkit.lifecycle.Command;
import java.util.List;

/** The shell a guest runs scripts with, and so how a {@link Command} is turned into one. */
public enum GuestPlatform {
  /** {@code /bin/sh -c SCRIPT}: argv joined with POSIX single quotes. */
  POSIX {
    @Override
    String join(List<String> argv) {
      return CommandLines.joinPosix(argv);
    }
  },
  /** {@code cmd.exe /C SCRIPT}: argv joined with the quoting of mxc's cmd.exe context. */
  WINDOWS_CMD {
    @Override
    String join(List<String> argv) {
      return CommandLines.joinCmd(argv);
    }
  };

  abstract String join(List<String> argv);

  /** The {@code script_code} the guest runs for {@code command}. */
  public String script(Command command) {
    if (command instanceof Command.Shell s) {
      return s.commandLine();
    }
    return join(((Command.Argv) command).argv());
  }
}

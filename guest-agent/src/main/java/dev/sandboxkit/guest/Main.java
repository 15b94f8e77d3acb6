package dev.sandboxkit.guest;

import dev.sandboxkit.guest.executor.ControlLoop;
import dev.sandboxkit.guest.listener.ListenerWarmup;
import dev.sandboxkit.guest.listener.NettyDefaults;
import dev.sandboxkit.guest.log.GuestLog;
import java.io.PrintStream;
import java.util.List;

/**
 * {@code java -jar sandboxkit-guest.jar --transport unix|tcp --rendezvous DIR [--network block|allow]
 * [--lifeline stdin] [--connect-timeout SECONDS]}.
 */
public final class Main {
  static final String VERSION = "sandboxkit-guest 0.1.0";

  static final String USAGE =
      "Usage: java -jar sandboxkit-guest.jar --transport tcp|unix --rendezvous DIR\n"
          + "                                  [--network block|allow] [--advertise-host ADDR]\n"
          + "                                  [--lifeline stdin|none] [--connect-timeout SECONDS] [--verbose]\n"
          + "\n"
          + "The sandboxkit guest agent. It consumes DIR/nonce.bin (waiting up to 15 s), listens,\n"
          + "writes its address to DIR/rendezvous.txt, accepts the host's control, stdin, stdout and\n"
          + "stderr channels (each authenticated with the nonce within 1 s) and runs the host's jobs\n"
          + "one at a time (/bin/sh -c on Linux, cmd.exe /C on Windows), killing each job's whole\n"
          + "process tree when it ends or times out.\n"
          + "\n"
          + "Options:\n"
          + "  --transport tcp|unix    unix: socket DIR/agent.sock, advertised as unix:agent.sock;\n"
          + "                          tcp: 0.0.0.0:<free port>, advertised as <default-route IPv4>:<port>\n"
          + "  --rendezvous DIR        the folder shared with the host\n"
          + "  --network block|allow   block (default): Linux refuses jobs unless the network namespace\n"
          + "                          has only loopback; Windows locks the firewall down to the host.\n"
          + "                          allow: no check, no lockdown\n"
          + "  --advertise-host ADDR   tcp: advertise ADDR instead of the default route's IPv4\n"
          + "  --lifeline stdin|none   stdin: the host holds the write end of the agent's stdin pipe for the\n"
          + "                          whole run; end of file means the host is gone, and the agent kills\n"
          + "                          the running job's process tree and exits with 7 (bubblewrap uses it).\n"
          + "                          none (default): stdin is not read\n"
          + "  --connect-timeout SECONDS  how long to wait for the host's first connection of all four\n"
          + "                          channels (default 600, above the host's 360 s rendezvous wait)\n"
          + "  --verbose               debug logging (stderr)\n"
          + "  --help, --version\n"
          + "\n"
          + "Logs go to stderr and never contain the nonce, command lines or environment values.\n"
          + "\n"
          + ExitCodes.HELP_LIST;

  private Main() {}

  public static void main(String[] args) {
    System.exit(run(List.of(args), System.out, System.err));
  }

  /** Parses, runs the agent, returns the exit code. */
  static int run(List<String> args, PrintStream out, PrintStream err) {
    AgentOptions options;
    try {
      options = AgentOptions.parse(args);
    } catch (AgentOptions.UsageException e) {
      err.println("sandboxkit-guest: " + e.getMessage());
      err.println("Run with --help for usage.");
      return ExitCodes.USAGE;
    }
    if (options.help()) {
      out.print(USAGE);
      return ExitCodes.CLEAN;
    }
    if (options.version()) {
      out.println(VERSION);
      return ExitCodes.CLEAN;
    }
    // Before any Netty class loads (Netty reads these once) and before anything logs.
    NettyDefaults.apply();
    GuestLog.routeNetty();
    // The listener's event loop is set up on its own thread meanwhile (the main thread's own work
    // up to rendezvous.txt does not need it): see ListenerWarmup.
    ListenerWarmup warmup = ListenerWarmup.start(options.transport());
    GuestLog.install(options.verbose());
    return new Agent(options, ControlLoop.Settings.DEFAULTS, System.in, Main::halt, warmup).run();
  }

  /**
   * Ends the process at once with {@code code}: the lifeline's exit must not wait for shutdown hooks
   * or for the main thread, which may be blocked waiting for a host that is gone.
   */
  private static void halt(int code) {
    System.err.flush();
    Runtime.getRuntime().halt(code);
  }
}

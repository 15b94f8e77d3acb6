package dev.sandboxkit.cli;

import dev.sandboxkit.lifecycle.Command;
import dev.sandboxkit.lifecycle.NetworkAccess;
import dev.sandboxkit.lifecycle.SandboxPolicy;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The run's inputs merged from the mxc request (if any) and the options: the argv after
 * {@code --} replaces {@code process.commandLine}; {@code --timeout}, {@code --cwd} and
 * {@code --network} replace the config's values; {@code --rw/--ro/--deny} add to its lists.
 */
record RunPlan(Command command, String cwd, Optional<Duration> timeout, SandboxPolicy policy,
    Map<String, String> environment, List<MxcRequest.Note> notes) {

  static RunPlan from(RunCommand o, String driverName) throws ConfigException {
    if (o.config != null && o.configBase64 != null) {
      throw CliException.usage("--config and --config-base64 are both given",
          "pass the request only once");
    }
    Optional<MxcRequest> req = Optional.empty();
    if (o.configBase64 != null) {
      req = Optional.of(MxcConfigParser.parseBase64(o.configBase64));
    } else if (o.config != null) {
      req = Optional.of(MxcConfigParser.parseFile(o.config));
    }
    if (req.isPresent() && req.get().containment().equals(MxcRequest.BUBBLEWRAP) && !driverName.equals("bubblewrap")) {
      throw new ConfigException("containment \"bubblewrap\" needs the bubblewrap driver, but the driver is \""
          + driverName + "\"", "run it on Linux with --driver bubblewrap (or auto), or set \"containment\": "
          + "\"windows_sandbox\"");
    }
    List<MxcRequest.Note> notes = new ArrayList<>(req.map(MxcRequest::notes).orElse(List.of()));

    Command command;
    if (!o.command.isEmpty()) {
      command = argv(o.command);
    } else if (req.isPresent()) {
      command = Command.shell(MxcConfigParser.requireCommand(req.get()));
    } else {
      throw CliException.usage("no command to run",
          "pass the command after --, e.g. 'sandboxkit run -- echo hello', or use --config FILE");
    }

    checkLength(driverName, command);
    if (o.cwd != null && o.cwd.indexOf('\0') >= 0) {
      throw CliException.usage("--cwd contains a NUL character", "remove it");
    }
    Path here = o.here ? currentDirectory() : null;
    String cwd;
    if (o.cwd != null) {
      cwd = workingDirectory(o.cwd);
    } else if (here != null) {
      cwd = here.toString();
    } else {
      cwd = req.map(MxcRequest::cwd).orElse("");
    }

    Optional<Duration> timeout;
    if (o.timeout != null) {
      timeout = o.timeout.isZero() ? Optional.empty() : Optional.of(o.timeout);
    } else {
      timeout = req.map(MxcRequest::timeoutMs).filter(ms -> ms > 0 && ms < ConfigReader.U32_MAX)
          .map(Duration::ofMillis);
    }

    List<String> rw = new ArrayList<>(req.map(MxcRequest::readWritePaths).orElse(List.of()));
    List<String> ro = new ArrayList<>(req.map(MxcRequest::readOnlyPaths).orElse(List.of()));
    List<String> denied = new ArrayList<>(req.map(MxcRequest::deniedPaths).orElse(List.of()));
    if (here != null) {
      rw.add(here.toString());
    }
    rw.addAll(o.readWrite);
    ro.addAll(o.readOnly);
    denied.addAll(o.deny);
    PathLists lists;
    try {
      lists = PathLists.resolve(rw, ro, denied);
    } catch (IllegalArgumentException e) {
      throw CliException.usage("invalid path: " + e.getMessage(), "fix or remove that path");
    }
    if (req.isEmpty()) {
      lists.notes().forEach(n -> notes.add(new MxcRequest.Note(n, true)));
    }

    SandboxPolicy.Builder policy = SandboxPolicy.builder()
        .readWrite(absolute(lists.readWrite(), "--rw"))
        .readOnly(absolute(lists.readOnly(), "--ro"))
        .deny(paths(lists.denied(), "--deny"))
        .network(network(o.network, req));
    if (req.isPresent()) {
      MxcRequest r = req.get();
      policy.allowedHosts(r.allowedHosts()).blockedHosts(r.blockedHosts());
      r.proxy().ifPresent(policy::proxy);
    }
    o.limits.applyTo(policy);
    Map<String, String> env = EnvOptions.resolve(req.map(MxcRequest::env).orElse(List.of()), o.env,
        o.envPass, System.getenv());
    return new RunPlan(command, cwd, timeout, policy.build(), env, List.copyOf(notes));
  }

  /**
   * Linux runs the command line as one argument of {@code /bin/sh -c}, and the kernel refuses an
   * argument longer than 128 KiB (MAX_ARG_STRLEN) with "Argument list too long": refused here, before
   * a sandbox is launched, with what to do.
   */
  static void checkLength(String driverName, Command command) {
    if (driverName.equals("windows-sandbox")) {
      return; // cmd.exe's own limit is reported by the guest
    }
    String script = dev.sandboxkit.lifecycle.internal.vm.GuestPlatform.POSIX.script(command);
    int bytes = script.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
    if (bytes > MAX_LINUX_COMMAND_LINE) {
      throw CliException.usage("Argument list too long: the command line is " + bytes + " bytes and "
          + "Linux takes at most " + MAX_LINUX_COMMAND_LINE + " in the one argument sh -c runs it as",
          "pass large inputs through stdin (echo ... | sandboxkit run -- xargs ...) or a file in a "
              + "mapped folder");
    }
  }

  /** When the Java runtime's locale cannot encode a path: what to do. */
  static String localeAdvice() {
    String jnu = System.getProperty("sun.jnu.encoding", "");
    return jnu.equalsIgnoreCase("UTF-8") ? "" : "; the Java runtime's locale (" + Text.escape(jnu)
        + ") cannot represent it: run with a UTF-8 locale (export LC_ALL=C.UTF-8) or through "
        + "./sandboxkit, which sets one for Java";
  }

  /** MAX_ARG_STRLEN (32 pages) minus the terminating NUL. */
  static final int MAX_LINUX_COMMAND_LINE = 128 * 1024 - 1;

  /** {@code --here}: the host's current directory, as relative mappings resolve against it. */
  private static Path currentDirectory() {
    return Path.of("").toAbsolutePath().normalize();
  }

  /**
   * {@code --cwd}: a relative directory resolves against the host's current directory, as
   * relative mappings do ({@code --rw src --cwd src}); an absolute one is a path in the sandbox.
   */
  static String workingDirectory(String dir) {
    if (dir.isEmpty()) {
      return dir;
    }
    Path p;
    try {
      p = Path.of(dir);
    } catch (InvalidPathException e) {
      throw CliException.usage("invalid --cwd '" + Text.escape(dir) + "'",
          Text.escape(e.getReason()) + localeAdvice());
    }
    return p.isAbsolute() || dir.startsWith("/") ? dir : p.toAbsolutePath().normalize().toString();
  }

  /** The argv after {@code --}; the library quotes it for the driver's guest shell. */
  static Command argv(List<String> argv) {
    try {
      return Command.argv(argv);
    } catch (IllegalArgumentException e) {
      throw CliException.usage("invalid command after --: " + e.getMessage(),
          "remove the NUL character from the command");
    }
  }

  private static NetworkAccess network(String option, Optional<MxcRequest> req) {
    if (option == null) {
      return req.flatMap(MxcRequest::network).orElse(NetworkAccess.BLOCK);
    }
    return switch (option.toLowerCase(Locale.ROOT)) {
      case "block" -> NetworkAccess.BLOCK;
      case "allow" -> NetworkAccess.ALLOW;
      default -> throw CliException.usage("invalid --network '" + Text.escape(option) + "'",
          "use --network block (loopback only) or --network allow (the host's network)");
    };
  }

  /** Mapped folders: relative paths resolve against the current directory (as mxc does). */
  private static Path[] absolute(List<String> in, String option) {
    Path[] out = paths(in, option);
    for (int i = 0; i < out.length; i++) {
      out[i] = out[i].toAbsolutePath().normalize();
    }
    return out;
  }

  /** Denied paths stay as given: the driver rejects a relative one with its own message. */
  private static Path[] paths(List<String> in, String option) {
    Path[] out = new Path[in.size()];
    for (int i = 0; i < out.length; i++) {
      try {
        out[i] = Path.of(in.get(i));
      } catch (InvalidPathException e) {
        throw CliException.usage("invalid " + option + " path '" + Text.escape(in.get(i)) + "'",
            Text.escape(e.getReason()) + localeAdvice());
      }
    }
    return out;
  }
}

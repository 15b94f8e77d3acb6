package dev.sandboxkit.guest;

import dev.sandboxkit.guest.firewall.NetworkMode;
import dev.sandboxkit.guest.listener.Transport;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The agent's command line, parsed without a CLI library (the jar stays small).
 *
 * @param advertiseHost tcp only: address to advertise instead of the default route's source IPv4
 * @param help {@code --help} was given; nothing else matters then
 * @param sessionWait how long to wait for the host's first connection of all four channels
 *     ({@code --connect-timeout}, 600 s by default: longer than the host's own 360 s rendezvous wait
 *     plus its handshake, so the agent never gives up on a host that is still trying)
 * @param lifeline {@code --lifeline stdin}: exit when stdin reaches end of file (see {@link Lifeline})
 */
record AgentOptions(
    Path rendezvous,
    Transport transport,
    NetworkMode network,
    String advertiseHost,
    boolean verbose,
    boolean help,
    boolean version,
    Duration nonceWait,
    Duration handshakeDeadline,
    Duration sessionWait,
    Lifeline.Mode lifeline) {

  static final Duration DEFAULT_NONCE_WAIT = Duration.ofSeconds(15);
  static final Duration DEFAULT_HANDSHAKE = Duration.ofSeconds(1);
  static final Duration DEFAULT_SESSION_WAIT = Duration.ofSeconds(600);
  /** Upper bound of {@code --connect-timeout}: one day. */
  static final long MAX_CONNECT_TIMEOUT_S = 86_400;

  /** Without a lifeline (the form tests use). */
  AgentOptions(
      Path rendezvous,
      Transport transport,
      NetworkMode network,
      String advertiseHost,
      boolean verbose,
      boolean help,
      boolean version,
      Duration nonceWait,
      Duration handshakeDeadline,
      Duration sessionWait) {
    this(rendezvous, transport, network, advertiseHost, verbose, help, version, nonceWait,
        handshakeDeadline, sessionWait, Lifeline.Mode.NONE);
  }

  /** Thrown for a bad command line; the message says which option and what is allowed. */
  static final class UsageException extends Exception {
    private static final long serialVersionUID = 1L;

    UsageException(String message) {
      super(message);
    }
  }

  static AgentOptions parse(List<String> args) throws UsageException {
    Path rendezvous = null;
    Transport transport = null;
    NetworkMode network = NetworkMode.BLOCK;
    String advertise = null;
    boolean verbose = false;
    boolean help = false;
    boolean version = false;
    Duration sessionWait = DEFAULT_SESSION_WAIT;
    Lifeline.Mode lifeline = Lifeline.Mode.NONE;
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      String name = a;
      String value = null;
      int eq = a.indexOf('=');
      if (a.startsWith("--") && eq > 0) {
        name = a.substring(0, eq);
        value = a.substring(eq + 1);
      }
      switch (name) {
        case "--help":
        case "-h":
          help = true;
          break;
        case "--version":
          version = true;
          break;
        case "--verbose":
          verbose = true;
          break;
        case "--rendezvous":
        case "--transport":
        case "--network":
        case "--advertise-host":
        case "--connect-timeout":
        case "--lifeline":
          if (value == null) {
            if (i + 1 >= args.size()) {
              throw new UsageException(name + " needs a value");
            }
            value = args.get(++i);
          }
          try {
            if (name.equals("--rendezvous")) {
              rendezvous = Path.of(value);
            } else if (name.equals("--transport")) {
              transport = Transport.parse(value);
            } else if (name.equals("--network")) {
              network = NetworkMode.parse(value);
            } else if (name.equals("--connect-timeout")) {
              sessionWait = Duration.ofSeconds(seconds(name, value));
            } else if (name.equals("--lifeline")) {
              lifeline = Lifeline.Mode.parse(value);
            } else {
              advertise = value;
            }
          } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
          }
          break;
        default:
          throw new UsageException("unknown option '" + a + "' (see --help)");
      }
    }
    if (!help && !version) {
      if (rendezvous == null) {
        throw new UsageException("--rendezvous DIR is required");
      }
      if (transport == null) {
        throw new UsageException("--transport tcp|unix is required");
      }
      if (advertise != null && transport != Transport.TCP) {
        throw new UsageException("--advertise-host only applies to --transport tcp");
      }
    }
    return new AgentOptions(
        rendezvous, transport, network, advertise, verbose, help, version,
        DEFAULT_NONCE_WAIT, DEFAULT_HANDSHAKE, sessionWait, lifeline);
  }

  /** A whole number of seconds, 1 to {@link #MAX_CONNECT_TIMEOUT_S}. */
  private static long seconds(String name, String value) {
    long s;
    try {
      s = Long.parseLong(value);
    } catch (NumberFormatException e) {
      s = -1;
    }
    if (s < 1 || s > MAX_CONNECT_TIMEOUT_S) {
      throw new IllegalArgumentException(
          name + " must be whole seconds from 1 to " + MAX_CONNECT_TIMEOUT_S + ", got '" + value + "'");
    }
    return s;
  }

  AgentOptions withWaits(Duration nonceWait, Duration handshake, Duration sessionWait) {
    return new AgentOptions(
        rendezvous, transport, network, advertiseHost, verbose, help, version, nonceWait, handshake,
        sessionWait, lifeline);
  }
}

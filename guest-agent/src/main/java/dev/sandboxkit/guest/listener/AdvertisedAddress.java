package dev.sandboxkit.guest.listener;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.Optional;

/** What goes into rendezvous.txt. */
final class AdvertisedAddress {
  static final String UNIX_PREFIX = "unix:";

  private AdvertisedAddress() {}

  static String unix(String socketName) {
    return UNIX_PREFIX + socketName;
  }

  static String tcp(String host, int port) {
    return host + ":" + port;
  }

  /** Any address off the local subnets: its route is the default route. No packet is ever sent to it. */
  static final String PROBE_TARGET = "8.8.8.8";
  /** How long the default route may take to appear (DHCP still running at logon). */
  static final Duration ROUTE_WAIT = Duration.ofSeconds(30);
  static final Duration ROUTE_POLL = Duration.ofMillis(250);

  /** The source address the OS picks for a destination, or empty when it has no route yet. */
  @FunctionalInterface
  interface RouteProbe {
    Optional<InetAddress> sourceFor(String destination) throws IOException;
  }

  /** A clock and a sleep, for the retry loop (tests pass a fake clock). */
  interface Clock {
    long nanoTime();

    void sleep(Duration d) throws InterruptedException;

    Clock SYSTEM = new Clock() {
      @Override
      public long nanoTime() {
        return System.nanoTime();
      }

      @Override
      public void sleep(Duration d) throws InterruptedException {
        Thread.sleep(Math.max(1, d.toMillis()));
      }
    };
  }

  /**
   * The real probe: a UDP socket connected to {@code destination}. Connecting a datagram socket
   * sends nothing; it only makes the OS choose the route and the source address (as mxc does).
   */
  static final RouteProbe UDP_CONNECT = destination -> {
    try (DatagramChannel ch = DatagramChannel.open()) {
      ch.connect(new InetSocketAddress(InetAddress.getByName(destination), 9));
      return Optional.of(((InetSocketAddress) ch.getLocalAddress()).getAddress());
    } catch (SocketException e) { // e.g. "Network is unreachable": no default route yet
      return Optional.empty();
    }
  };

  /**
   * Whether {@code a} can be advertised to the host: IPv4, and not the wildcard, loopback or a
   * link-local (169.254/16, what Windows assigns while DHCP has not answered) address.
   */
  static boolean usable(InetAddress a) {
    return a instanceof Inet4Address && !a.isAnyLocalAddress() && !a.isLoopbackAddress()
        && !a.isLinkLocalAddress();
  }

  /** {@link #defaultRouteIpv4(RouteProbe, Duration, Duration, Clock)} with the real probe and waits. */
  static String defaultRouteIpv4() throws IOException {
    return defaultRouteIpv4(UDP_CONNECT, ROUTE_WAIT, ROUTE_POLL, Clock.SYSTEM);
  }

  /**
   * The source address of the default route, retried every {@code poll} while there is none or it
   * is not {@link #usable} yet (DHCP not done), for up to {@code wait}.
   *
   * @throws IOException naming the last address seen (or none) and the fix when the wait runs out
   */
  static String defaultRouteIpv4(RouteProbe probe, Duration wait, Duration poll, Clock clock)
      throws IOException {
    long deadline = clock.nanoTime() + wait.toNanos();
    String last = "no route";
    while (true) {
      Optional<InetAddress> a = probe.sourceFor(PROBE_TARGET);
      if (a.isPresent() && usable(a.get())) {
        return a.get().getHostAddress();
      }
      last = a.map(x -> "source address " + x.getHostAddress()).orElse("no route");
      if (clock.nanoTime() - deadline >= 0) {
        throw new IOException("no usable default route to advertise after " + wait.toSeconds() + " s ("
            + last + "; is DHCP done?); pass --advertise-host");
      }
      try {
        clock.sleep(poll);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted while waiting for a default route");
      }
    }
  }
}

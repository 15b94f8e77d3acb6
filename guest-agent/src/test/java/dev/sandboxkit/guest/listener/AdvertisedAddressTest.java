package dev.sandboxkit.guest.listener;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Finding 11: the advertised address is the default route's source address, retried until DHCP is done. */
class AdvertisedAddressTest {
  /** A clock that advances only when slept on. */
  static final class FakeClock implements AdvertisedAddress.Clock {
    long now;
    final List<Duration> sleeps = new ArrayList<>();

    @Override
    public long nanoTime() {
      return now;
    }

    @Override
    public void sleep(Duration d) {
      sleeps.add(d);
      now += d.toNanos();
    }
  }

  static Optional<InetAddress> ip(String s) throws IOException {
    return Optional.of(InetAddress.getByName(s));
  }

  @Test
  void usableMeansARoutableIpv4() throws Exception {
    assertTrue(AdvertisedAddress.usable(InetAddress.getByName("172.20.45.3")));
    assertFalse(AdvertisedAddress.usable(InetAddress.getByName("0.0.0.0")));
    assertFalse(AdvertisedAddress.usable(InetAddress.getByName("127.0.0.1")));
    assertFalse(AdvertisedAddress.usable(InetAddress.getByName("169.254.10.20")), "APIPA: DHCP not done");
    assertFalse(AdvertisedAddress.usable(InetAddress.getByName("fe80::1")));
    assertFalse(AdvertisedAddress.usable(InetAddress.getByName("2001:db8::1")));
  }

  @Test
  void retriesWhileThereIsNoRouteOrOnlyALinkLocalAddress() throws Exception {
    Deque<Optional<InetAddress>> answers = new ArrayDeque<>(List.of(
        Optional.empty(), ip("169.254.3.4"), ip("0.0.0.0"), ip("172.20.45.3")));
    List<String> asked = new ArrayList<>();
    FakeClock clock = new FakeClock();
    String a = AdvertisedAddress.defaultRouteIpv4(dest -> {
      asked.add(dest);
      return answers.removeFirst();
    }, Duration.ofSeconds(30), Duration.ofMillis(250), clock);
    assertEquals("172.20.45.3", a);
    assertEquals(List.of("8.8.8.8", "8.8.8.8", "8.8.8.8", "8.8.8.8"), asked);
    assertEquals(3, clock.sleeps.size());
  }

  @Test
  void givesUpAfterTheWaitNamingWhatItSaw() throws Exception {
    FakeClock clock = new FakeClock();
    IOException e = assertThrows(IOException.class, () -> AdvertisedAddress.defaultRouteIpv4(
        dest -> ip("169.254.3.4"), Duration.ofSeconds(2), Duration.ofMillis(500), clock));
    assertTrue(e.getMessage().contains("source address 169.254.3.4"), e.getMessage());
    assertTrue(e.getMessage().contains("--advertise-host"), e.getMessage());
    assertEquals(4, clock.sleeps.size());
    FakeClock clock2 = new FakeClock();
    e = assertThrows(IOException.class, () -> AdvertisedAddress.defaultRouteIpv4(
        dest -> Optional.empty(), Duration.ofSeconds(1), Duration.ofMillis(500), clock2));
    assertTrue(e.getMessage().contains("(no route;"), e.getMessage());
  }

  @Test
  void aProbeErrorIsReported() {
    IOException e = assertThrows(IOException.class, () -> AdvertisedAddress.defaultRouteIpv4(
        dest -> {
          throw new IOException("resolver broken");
        }, Duration.ofSeconds(1), Duration.ofMillis(500), new FakeClock()));
    assertEquals("resolver broken", e.getMessage());
  }

  /** The real UDP-connect probe on this machine: whatever it picks is one of our own addresses. */
  @Test
  void theRealProbeReturnsALocalAddressOrNothing() throws Exception {
    Optional<InetAddress> a = AdvertisedAddress.UDP_CONNECT.sourceFor(AdvertisedAddress.PROBE_TARGET);
    if (a.isPresent() && !a.get().isAnyLocalAddress()) {
      assertTrue(java.net.NetworkInterface.getByInetAddress(a.get()) != null, a.get().toString());
    }
  }
}

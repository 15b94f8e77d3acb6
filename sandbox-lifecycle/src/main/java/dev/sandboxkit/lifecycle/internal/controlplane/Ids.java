package dev.sandboxkit.lifecycle.internal.controlplane;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Random (version 4) UUIDs for names that must be unique but need not be secret: run dirs (created
 * with {@code createDirectory}, inside an owner-only root), temp files (created {@code CREATE_NEW})
 * and exec ids. {@link UUID#randomUUID()} draws on {@link java.security.SecureRandom}, whose first
 * use initialises the security providers (10-20 ms) on the launch path; {@link ThreadLocalRandom}
 * (seeded per JVM from the wall clock and the nanosecond clock) is enough here, and a clash is
 * still caught by the exclusive create. The session nonce, which is a secret, keeps the CSPRNG.
 */
public final class Ids {
  private Ids() {
  }

  /** A fresh version-4 UUID from {@link ThreadLocalRandom}. */
  public static UUID uuid() {
    ThreadLocalRandom r = ThreadLocalRandom.current();
    long msb = (r.nextLong() & ~0xF000L) | 0x4000L; // version 4
    long lsb = (r.nextLong() & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L; // IETF variant
    return new UUID(msb, lsb);
  }
}

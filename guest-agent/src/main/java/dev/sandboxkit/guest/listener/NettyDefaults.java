package dev.sandboxkit.guest.listener;

import java.util.Properties;
import java.util.concurrent.ThreadLocalRandom;

/**
 * System properties Netty reads once, set before any Netty class loads. Netty's channel ids need a
 * machine id; without {@code io.netty.machineId} it scans the network interfaces for a hardware
 * address, which a sandbox without network does not have, and logs a warning every start; without
 * {@code io.netty.processId} it asks {@link ProcessHandle}, whose set-up (a thread pool and the
 * method-handle machinery behind its lambdas) the agent's start-up does not otherwise need. Random
 * values serve as well: channel ids only need to be unique enough to tell channels apart in logs.
 * {@code io.netty.jfr.enabled=false}: Netty's JFR events are off, so its start-up does not load and
 * initialise the JDK's flight recorder classes to find out whether JFR is available (the agent never
 * records). A value already set (on the command line) is kept.
 */
public final class NettyDefaults {
  static final String MACHINE_ID = "io.netty.machineId";
  static final String PROCESS_ID = "io.netty.processId";
  static final String JFR = "io.netty.jfr.enabled";

  private NettyDefaults() {}

  /** Applies the defaults to the system properties. */
  public static void apply() {
    ThreadLocalRandom r = ThreadLocalRandom.current();
    apply(System.getProperties(), r.nextLong(), r.nextInt(Integer.MAX_VALUE));
  }

  /**
   * Sets {@code io.netty.machineId} (the 8 bytes of {@code machine}, in Netty's {@code xx:xx:...}
   * form), {@code io.netty.processId} ({@code process}, 0 or more as Netty requires) and {@code
   * io.netty.jfr.enabled=false} where not already set.
   */
  static void apply(Properties props, long machine, int process) {
    if (props.getProperty(MACHINE_ID) == null) {
      props.setProperty(MACHINE_ID, machineId(machine));
    }
    if (props.getProperty(PROCESS_ID) == null && process >= 0) {
      props.setProperty(PROCESS_ID, Integer.toString(process));
    }
    if (props.getProperty(JFR) == null) {
      props.setProperty(JFR, "false");
    }
  }

  /** {@code value}'s 8 bytes as {@code xx:xx:xx:xx:xx:xx:xx:xx} (an EUI-64, which Netty accepts). */
  static String machineId(long value) {
    StringBuilder sb = new StringBuilder(23);
    for (int shift = 56; shift >= 0; shift -= 8) {
      int b = (int) (value >>> shift) & 0xff;
      sb.append(Character.forDigit(b >>> 4, 16)).append(Character.forDigit(b & 0xf, 16));
      if (shift > 0) {
        sb.append(':');
      }
    }
    return sb.toString();
  }
}

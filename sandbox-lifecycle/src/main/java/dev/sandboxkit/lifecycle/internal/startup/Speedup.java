package dev.sandboxkit.lifecycle.internal.startup;

import java.util.Collections;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * The start-up speed-ups of the lifecycle ({@link StartUp}), each of which can be turned off alone:
 * by name in {@code SANDBOXKIT_SPEEDUPS_OFF} (a comma-separated list, e.g. {@code
 * SANDBOXKIT_SPEEDUPS_OFF=guest-cds,prestart}) or {@code -Dsandboxkit.speedups.off=...}; {@code all}
 * turns every one off. A run without one behaves the same, only slower: they are for measuring
 * ({@code BENCH_AB=1 benchmarks/run.sh}) and for ruling one out when something misbehaves.
 *
 * <p>A name that is not a switch turns nothing off and is not an error, so a list written for an
 * earlier version still works: {@code jna}, {@code warmup} and {@code nonce-ahead} named speed-ups
 * removed because the A/B measurement showed they did not pay.
 */
public enum Speedup {
  /** The guest's class-data archive ({@link GuestArchive}); also off with {@code SANDBOXKIT_NO_CDS}. */
  GUEST_CDS("guest-cds"),
  /** The one-shot head start on a second thread ({@link Prestart}). */
  PRESTART("prestart");

  public static final String ENV = "SANDBOXKIT_SPEEDUPS_OFF";
  public static final String PROPERTY = "sandboxkit.speedups.off";

  private final String switchName;

  Speedup(String switchName) {
    this.switchName = switchName;
  }

  /** The name in {@link #ENV} / {@link #PROPERTY}. */
  public String switchName() {
    return switchName;
  }

  /** Whether this speed-up is on in this JVM (read each time: cheap, and tests may change the property). */
  public boolean on() {
    return !off(System.getenv(ENV), System.getProperty(PROPERTY)).contains(this);
  }

  /** The speed-ups turned off by {@code properties} and {@code env} (pure; tested). */
  static Set<Speedup> off(UnaryOperator<String> properties, Map<String, String> env) {
    return off(env.get(ENV), properties.apply(PROPERTY));
  }

  /**
   * The speed-ups the two lists turn off. Loops, no stream or lambda: the CLI's head starts read it
   * in their first millisecond, before the JDK's lambda machinery is set up (~5 ms of a cold JVM,
   * which would delay the head start's thread by as much).
   */
  private static Set<Speedup> off(String envList, String propertyList) {
    Set<String> names = new HashSet<>();
    for (String list : new String[] {nonNull(envList), nonNull(propertyList)}) {
      for (String n : list.split(",")) {
        String name = n.strip().toLowerCase(Locale.ROOT);
        if (!name.isEmpty()) {
          names.add(name);
        }
      }
    }
    EnumSet<Speedup> off = EnumSet.noneOf(Speedup.class);
    for (Speedup s : values()) {
      if (names.contains("all") || names.contains(s.switchName)) {
        off.add(s);
      }
    }
    return Collections.unmodifiableSet(off);
  }

  private static String nonNull(String s) {
    return s == null ? "" : s;
  }
}

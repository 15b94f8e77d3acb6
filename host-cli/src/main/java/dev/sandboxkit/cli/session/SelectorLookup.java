package dev.sandboxkit.cli.session;

/**
 * Skips the JDK's search for a {@link java.nio.channels.spi.SelectorProvider} on Linux. The first
 * socket channel a JVM opens asks {@link java.util.ServiceLoader} for a provider, which opens the
 * CLI's jar (about 4,900 entries) and scans it for a service file no jar of ours has: about 5 to 7 ms
 * of the {@code exec} verb's client, whose classes otherwise all come from the class-data archive
 * without the jar being read (issue 12: {@code exec ID -- true} within the host-JVM floor + 40 ms).
 * Naming the provider the JDK would pick anyway ({@value #EPOLL}, its Linux default from Java 11 to
 * 25) in {@value #PROPERTY} makes the JDK load it directly. Left alone when the property is set,
 * and where the class does not exist (another OS or a future JDK), so the default search stands.
 */
public final class SelectorLookup {
  static final String PROPERTY = "java.nio.channels.spi.SelectorProvider";
  static final String EPOLL = "sun.nio.ch.EPollSelectorProvider";

  private SelectorLookup() {}

  /** Names the JDK's Linux provider unless a provider is named already or that class is missing. */
  public static void skipServiceSearch() {
    skipServiceSearch(EPOLL);
  }

  /** As {@link #skipServiceSearch()} with {@code provider} for the JDK's class (tests). */
  static void skipServiceSearch(String provider) {
    if (System.getProperty(PROPERTY) != null) {
      return;
    }
    try {
      Class.forName(provider, false, ClassLoader.getPlatformClassLoader());
    } catch (ClassNotFoundException e) {
      return; // not Linux, or a JDK without it: the JDK's own search
    }
    System.setProperty(PROPERTY, provider);
  }
}

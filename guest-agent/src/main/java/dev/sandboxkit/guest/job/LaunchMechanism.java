package dev.sandboxkit.guest.job;

/**
 * How the JDK starts a job's process on Linux. The JDK's default there ({@code POSIX_SPAWN}) execs
 * its {@code jspawnhelper} first, which then execs the job: one {@code execve} more per job, and
 * on a root host the job already goes through {@code setpriv} (three in all). {@code VFORK} execs
 * the job directly from the forking thread, which the JDK suspends until then: about 7 ms less per
 * warm execution here (issue 12; the README's Performance section). Chosen only where the JDK
 * supports it without a warning (up to Java 24; Java 25 deprecated it) and only when nobody set
 * {@value #PROPERTY} already. It must be set before {@code java.lang.ProcessImpl} is initialized,
 * which reads it once.
 */
final class LaunchMechanism {
  static final String PROPERTY = "jdk.lang.Process.launchMechanism";
  static final String VFORK = "VFORK";
  /** The first Java release whose {@code VFORK} prints a deprecation warning. */
  static final int VFORK_DEPRECATED_IN = 25;

  private LaunchMechanism() {}

  /** The mechanism to set for Java {@code feature} with {@code current} already set (or null): null = leave it. */
  static String choose(int feature, String current, String osName) {
    if (current != null || feature >= VFORK_DEPRECATED_IN || !osName.toLowerCase(java.util.Locale.ROOT).contains("linux")) {
      return null;
    }
    return VFORK;
  }

  /** Sets the property for this JVM when {@link #choose} says so; returns what is in effect (null = the JDK's default). */
  static String apply() {
    String current = System.getProperty(PROPERTY);
    String chosen = choose(Runtime.version().feature(), current, System.getProperty("os.name", ""));
    if (chosen != null) {
      System.setProperty(PROPERTY, chosen);
      return chosen;
    }
    return current;
  }
}

package dev.sandboxkit.cli;

import picocli.CommandLine.IVersionProvider;

/** {@code --version}: the jar's Implementation-Version, the Java runtime and the OS. */
final class VersionProvider implements IVersionProvider {
  @Override
  public String[] getVersion() {
    String v = Main.class.getPackage().getImplementationVersion();
    return new String[] {
      "sandboxkit " + (v == null ? "0.1.0-SNAPSHOT (development build)" : v),
      "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.home") + ")",
      System.getProperty("os.name") + " " + System.getProperty("os.arch"),
    };
  }
}

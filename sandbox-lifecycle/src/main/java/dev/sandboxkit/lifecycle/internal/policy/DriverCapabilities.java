package dev.sandboxkit.lifecycle.internal.policy;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * Which driver can do what: the planner applies one rule set (most specific path wins) and refuses,
 * naming the driver, whatever a driver cannot enforce.
 *
 * @param driverName shown in messages ("bubblewrap", "windows-sandbox")
 * @param rules path comparison rules
 * @param network what the driver can enforce of the network policy
 * @param fileMappings single files can be mapped (else directories only)
 * @param nestedMappings a mapping may lie inside another mapping (a read-only folder in a read-write one)
 * @param masking a denied path inside something visible can be hidden (empty tmpfs / empty file)
 * @param reserved paths that cannot be mapped, each with its reason
 * @param view what the driver itself shows of the host, and what the guest needs
 */
public record DriverCapabilities(
    String driverName,
    PathRules rules,
    NetworkSupport network,
    boolean fileMappings,
    boolean nestedMappings,
    boolean masking,
    List<Reserved> reserved,
    SystemView view) {

  public DriverCapabilities {
    Objects.requireNonNull(driverName, "driverName");
    Objects.requireNonNull(rules, "rules");
    Objects.requireNonNull(network, "network");
    reserved = List.copyOf(reserved);
    Objects.requireNonNull(view, "view");
  }

  /** How far a reserved path reaches. */
  public enum Extent {
    /** Only the path itself. */
    EXACT,
    /** The path and everything inside it. */
    WITHIN,
    /** The path, everything inside it, and every folder containing it. */
    OVERLAP
  }

  /** A path that cannot be mapped, and why. */
  public record Reserved(Path path, Extent extent, String why) {
    public Reserved {
      Objects.requireNonNull(path, "path");
      Objects.requireNonNull(extent, "extent");
      Objects.requireNonNull(why, "why");
    }
  }

  /** Linux paths no driver maps: the root, the kernel's and the system's live file systems. */
  public static List<Reserved> linuxSystem() {
    return List.of(
        new Reserved(Path.of("/"), Extent.EXACT, "it is the whole host file system"),
        new Reserved(Path.of("/proc"), Extent.WITHIN,
            "the host's procfs exposes every host process (and, through /proc/PID/root, their files)"),
        new Reserved(Path.of("/sys"), Extent.WITHIN, "the host's sysfs exposes and controls the host's kernel"),
        new Reserved(Path.of("/dev"), Extent.WITHIN, "the host's devices; the sandbox has its own /dev"),
        new Reserved(Path.of("/run"), Extent.EXACT,
            "it holds the host's sockets, locks and per-user runtime folders; map the one entry you need"));
  }

  /** The bubblewrap driver: files, nesting and masking; {@code extraReserved} adds the state root. */
  public static DriverCapabilities bubblewrap(List<Reserved> extraReserved, SystemView view) {
    List<Reserved> r = new java.util.ArrayList<>(linuxSystem());
    r.add(new Reserved(Path.of("/opt/sandboxkit"), Extent.OVERLAP,
        "the bubblewrap driver mounts its guest agent, Java runtime and rendezvous folder there"));
    r.add(new Reserved(Path.of("/tmp"), Extent.EXACT,
        "the sandbox has its own private /tmp; map a folder inside it instead"));
    r.addAll(extraReserved);
    return new DriverCapabilities("bubblewrap", PathRules.LINUX, NetworkSupport.BUBBLEWRAP, true, true, true, r, view);
  }

  /**
   * The windows-sandbox driver: Windows Sandbox maps whole folders only, cannot nest them and cannot
   * hide part of one.
   */
  public static DriverCapabilities windowsSandbox(List<Reserved> extraReserved) {
    return new DriverCapabilities("windows-sandbox", PathRules.WINDOWS, NetworkSupport.BLOCK_ONLY, false, false,
        false, extraReserved, SystemView.NONE);
  }
}

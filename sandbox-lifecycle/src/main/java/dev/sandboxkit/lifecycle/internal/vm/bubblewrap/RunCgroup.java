package dev.sandboxkit.lifecycle.internal.vm.bubblewrap;

import dev.sandboxkit.lifecycle.FailurePhase;
import dev.sandboxkit.lifecycle.ResourceLimits;
import dev.sandboxkit.lifecycle.SandboxException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One run's cgroup: memory, pids and cpu limits for everything the sandbox starts (bwrap joins it
 * before it runs, {@link LaunchWrapper}). Made next to this JVM's own cgroup — as a child of it
 * (cgroup v1 controllers, as on hosts with the legacy hierarchy) or, on cgroup v2, of the first of
 * this JVM's cgroup and its parent whose {@code cgroup.subtree_control} enables the controllers and
 * that this user may write (root, or a delegated subtree) — so every limit of the host stays above
 * it. Removed at teardown; an empty one left by a crashed run is removed by a later run after
 * {@link #STALE_AFTER}.
 */
final class RunCgroup {
  static final String PREFIX = "sandboxkit-";
  static final Duration STALE_AFTER = Duration.ofMinutes(10);
  private static final System.Logger LOG = System.getLogger(RunCgroup.class.getName());

  enum Version { V1, V2 }

  /**
   * Where this host lets us make a run cgroup: per controller, the parent folder (on v2 the same
   * for all), or why not.
   */
  record Layout(Optional<Version> version, Map<String, Path> parents, String why) {
    Layout {
      parents = Map.copyOf(parents);
    }

    /** The controllers a set of limits needs. */
    static List<String> needed(ResourceLimits l) {
      List<String> c = new ArrayList<>();
      if (l.memoryBytes() != 0) {
        c.add("memory");
      }
      if (l.pids() != 0) {
        c.add("pids");
      }
      if (l.cpus() != 0) {
        c.add("cpu");
      }
      return c;
    }

    /** Why these limits cannot be enforced here, with what to do; empty when they can. */
    Optional<String> cannotEnforce(ResourceLimits l) {
      List<String> missing = new ArrayList<>();
      for (String c : needed(l)) {
        if (!parents.containsKey(c)) {
          missing.add(c);
        }
      }
      if (missing.isEmpty()) {
        return Optional.empty();
      }
      return Optional.of("the " + String.join(", ", missing) + " limit" + (missing.size() > 1 ? "s" : "")
          + " cannot be enforced on this host (" + why + "): run as root, or under a cgroup v2 subtree"
          + " delegated to this user (for example `systemd-run --user --scope -p Delegate=yes sandboxkit ...`),"
          + " or drop the limit");
    }
  }

  private final Version version;
  private final Map<String, Path> dirs; // controller -> the run's folder (v2: one folder for all)

  private RunCgroup(Version version, Map<String, Path> dirs) {
    this.version = version;
    this.dirs = dirs;
  }

  /** This host, as seen from this JVM. */
  static Layout probe() {
    return probe(Path.of("/sys/fs/cgroup"), Path.of("/proc/self/cgroup"));
  }

  static Layout probe(Path root, Path selfCgroup) {
    List<String> lines;
    try {
      lines = Files.readAllLines(selfCgroup);
    } catch (IOException e) {
      return new Layout(Optional.empty(), Map.of(), "cannot read " + selfCgroup);
    }
    if (Files.exists(root.resolve("cgroup.controllers"))) {
      String own = lines.stream().filter(x -> x.startsWith("0::")).map(x -> x.substring(3)).findFirst().orElse("/");
      Path ownDir = root.resolve(own.substring(1));
      for (Path cand : new Path[] {ownDir, ownDir.getParent()}) {
        if (cand == null || !cand.startsWith(root)) {
          continue;
        }
        try {
          List<String> enabled = List.of(Files.readString(cand.resolve("cgroup.subtree_control")).trim().split("\\s+"));
          if (Files.isWritable(cand)) {
            Map<String, Path> m = new LinkedHashMap<>();
            for (String c : List.of("memory", "pids", "cpu")) {
              if (enabled.contains(c)) {
                m.put(c, cand);
              }
            }
            if (!m.isEmpty()) {
              return new Layout(Optional.of(Version.V2), m, "cgroup v2 at " + cand);
            }
          }
        } catch (IOException e) {
          // not this one
        }
      }
      return new Layout(Optional.of(Version.V2), Map.of(),
          "cgroup v2: neither " + ownDir + " nor its parent is writable with the controllers enabled");
    }
    Map<String, Path> m = new LinkedHashMap<>();
    for (String line : lines) {
      String[] f = line.split(":", 3);
      if (f.length < 3 || f[1].isEmpty()) {
        continue;
      }
      for (String c : f[1].split(",")) {
        if (List.of("memory", "pids", "cpu").contains(c)) {
          Path dir = root.resolve(c).resolve(f[2].substring(1));
          if (Files.isDirectory(dir) && Files.isWritable(dir)) {
            m.put(c, dir);
          }
        }
      }
    }
    return new Layout(Optional.of(Version.V1), m, m.size() == 3 ? "cgroup v1"
        : "cgroup v1: only " + (m.isEmpty() ? "no controller" : String.join(", ", m.keySet())) + " writable");
  }

  /** Makes the run's cgroup with the limits set; REJECTED when the host cannot enforce them. */
  static Optional<RunCgroup> create(Layout layout, String runName, ResourceLimits limits) throws SandboxException {
    if (!limits.needsCgroup()) {
      return Optional.empty();
    }
    Optional<String> no = layout.cannotEnforce(limits);
    if (no.isPresent()) {
      throw new SandboxException(FailurePhase.REJECTED, no.get(), layout.why());
    }
    Version v = layout.version().orElseThrow();
    Map<String, Path> dirs = new LinkedHashMap<>();
    RunCgroup cg = new RunCgroup(v, dirs);
    try {
      for (String c : Layout.needed(limits)) {
        Path parent = layout.parents().get(c);
        sweepStale(parent);
        Path dir = parent.resolve(PREFIX + runName);
        if (!dirs.containsValue(dir)) {
          Files.createDirectory(dir);
        }
        dirs.put(c, dir);
      }
      cg.write(limits);
      return Optional.of(cg);
    } catch (IOException | RuntimeException e) {
      cg.remove();
      throw new SandboxException(FailurePhase.LAUNCH_FAILED, "cannot set up the run's cgroup for its limits",
          String.valueOf(e), e);
    }
  }

  private void write(ResourceLimits l) throws IOException {
    if (version == Version.V1) {
      if (l.memoryBytes() != 0) {
        Path d = dirs.get("memory");
        Files.writeString(d.resolve("memory.limit_in_bytes"), Long.toString(l.memoryBytes()));
        if (Files.exists(d.resolve("memory.memsw.limit_in_bytes"))) { // no way around it through swap
          Files.writeString(d.resolve("memory.memsw.limit_in_bytes"), Long.toString(l.memoryBytes()));
        }
      }
      if (l.pids() != 0) {
        Files.writeString(dirs.get("pids").resolve("pids.max"), Integer.toString(l.pids()));
      }
      if (l.cpus() != 0) {
        Path d = dirs.get("cpu");
        long period = Long.parseLong(Files.readString(d.getParent().resolve("cpu.cfs_period_us")).trim());
        Files.writeString(d.resolve("cpu.cfs_quota_us"), Long.toString(Math.max(1000, Math.round(l.cpus() * period))));
      }
    } else {
      Path d = dirs.values().iterator().next();
      if (l.memoryBytes() != 0) {
        Files.writeString(d.resolve("memory.max"), Long.toString(l.memoryBytes()));
        if (Files.exists(d.resolve("memory.swap.max"))) {
          Files.writeString(d.resolve("memory.swap.max"), "0");
        }
      }
      if (l.pids() != 0) {
        Files.writeString(d.resolve("pids.max"), Integer.toString(l.pids()));
      }
      if (l.cpus() != 0) {
        long period = 100_000;
        Files.writeString(d.resolve("cpu.max"), Math.max(1000, Math.round(l.cpus() * period)) + " " + period);
      }
    }
  }

  /** The files bwrap's launcher writes its pid into (each folder once). */
  List<Path> procsFiles() {
    return dirs.values().stream().distinct().map(d -> d.resolve("cgroup.procs")).toList();
  }

  /** Whether the kernel's OOM killer killed a process of this cgroup. */
  boolean oomKilled() {
    return oomKills() > 0;
  }

  /**
   * How many processes of this cgroup the kernel's OOM killer has killed so far ({@code oom_kill} of
   * {@code memory.events} on v2, {@code memory.oom_control} on v1); 0 without a memory limit or
   * when the kernel does not say.
   */
  long oomKills() {
    Path d = dirs.get("memory");
    if (d == null) {
      return 0;
    }
    return oomKills(d.resolve(version == Version.V1 ? "memory.oom_control" : "memory.events"));
  }

  static long oomKills(Path file) {
    try {
      for (String line : Files.readAllLines(file)) {
        if (line.startsWith("oom_kill ")) {
          return Long.parseLong(line.substring(9).trim());
        }
      }
    } catch (IOException | NumberFormatException e) {
      // unknown: say nothing
    }
    return 0;
  }

  List<Path> dirs() {
    return dirs.values().stream().distinct().toList();
  }

  /** Removes the folders (the sandbox's processes are gone by now; waits up to 2 s for them to leave). */
  void remove() {
    long deadline = System.nanoTime() + 2_000_000_000L;
    for (Path d : dirs()) {
      while (true) {
        try {
          Files.deleteIfExists(d);
          break;
        } catch (IOException e) {
          if (System.nanoTime() - deadline > 0) {
            LOG.log(System.Logger.Level.WARNING, "cannot remove the run cgroup {0}: {1}", d, e.toString());
            break;
          }
          try {
            Thread.sleep(20);
          } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            break;
          }
        }
      }
    }
  }

  /** Removes empty run cgroups older than {@link #STALE_AFTER} (a crashed run's); busy ones stay. */
  static void sweepStale(Path parent) {
    Instant before = Instant.now().minus(STALE_AFTER);
    try (var s = Files.newDirectoryStream(parent, PREFIX + "*")) {
      for (Path d : s) {
        try {
          FileTime t = Files.getLastModifiedTime(d);
          if (t.toInstant().isBefore(before)) {
            Files.deleteIfExists(d); // EBUSY while it has processes: kept
          }
        } catch (IOException e) {
          // in use or gone
        }
      }
    } catch (IOException e) {
      // nothing to sweep
    }
  }
}

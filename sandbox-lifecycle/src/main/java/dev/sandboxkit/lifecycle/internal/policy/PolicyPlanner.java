package dev.sandboxkit.lifecycle.internal.policy;

import dev.sandboxkit.lifecycle.FailurePhase;
import dev.sandboxkit.lifecycle.NetworkAccess;
import dev.sandboxkit.lifecycle.SandboxException;
import dev.sandboxkit.lifecycle.SandboxPolicy;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * Turns a {@link SandboxPolicy} into a {@link PolicyPlan}, an ordered list of mounts, or rejects it
 * ({@link FailurePhase#REJECTED}) before anything is created. One rule set for every driver; what a
 * driver cannot do ({@link DriverCapabilities}) is refused with a message that names it.
 *
 * <ul>
 *   <li>Every path is absolute and resolved component by component ({@link PathWalk}); a denied
 *       path that is a symlink masks its canonical target, a missing tail is re-appended.
 *   <li>Mappings must exist and may not be reserved paths ({@link DriverCapabilities#reserved()});
 *       one reached through a symlink is reported with its target, and refused when a sandbox could
 *       have planted the link ({@link SandboxWriters}).
 *   <li>For the same path, denied beats read-only beats read-write.
 *   <li>Most specific path wins: a denied folder inside a mapping (or inside what the driver shows of
 *       the host itself) becomes an empty read-only tmpfs, a denied file an empty read-only file; a
 *       mapping inside a denied folder punches through; a read-only folder may sit in a read-write one.
 *   <li>Mounts are ordered from the shallowest path to the deepest.
 * </ul>
 */
public final class PolicyPlanner {

  /**
   * A policy entry after resolution.
   *
   * @param requested the path as the caller gave it (for messages)
   * @param canonical the resolved host path
   * @param access what it grants
   * @param kind directory, other file, or missing (denied paths only)
   */
  public record Entry(Path requested, Path canonical, Access access, PathWalk.Kind kind) {
    public Entry {
      Objects.requireNonNull(requested, "requested");
      Objects.requireNonNull(canonical, "canonical");
      Objects.requireNonNull(access, "access");
      Objects.requireNonNull(kind, "kind");
    }
  }

  private final DriverCapabilities caps;
  private final SandboxWriters writers;
  private final PathRules rules;
  private final String driver;

  /**
   * @param caps what the driver can do
   * @param writers who counts as a sandbox for the planted-link rule
   */
  public PolicyPlanner(DriverCapabilities caps, SandboxWriters writers) {
    this.caps = Objects.requireNonNull(caps, "caps");
    this.writers = Objects.requireNonNull(writers, "writers");
    this.rules = caps.rules();
    this.driver = caps.driverName();
  }

  /** The capabilities this planner enforces. */
  public DriverCapabilities capabilities() {
    return caps;
  }

  /** The summary of every rejection. */
  public String summary() {
    return "The request's policy cannot be enforced by the " + driver + " driver.";
  }

  /**
   * Plans {@code policy}.
   *
   * @throws SandboxException with phase REJECTED and the specific rule and path in {@link SandboxException#detail()}
   */
  public PolicyPlan plan(SandboxPolicy policy) throws SandboxException {
    checkNetwork(policy);
    List<String> notes = new ArrayList<>();
    List<Entry> entries = new ArrayList<>();
    for (Path p : policy.readWritePaths()) {
      entries.add(mapping(p, Access.READ_WRITE, notes));
    }
    for (Path p : policy.readOnlyPaths()) {
      entries.add(mapping(p, Access.READ_ONLY, notes));
    }
    for (Path p : policy.deniedPaths()) {
      entries.add(denied(p));
    }
    return new PolicyPlan(mounts(entries, notes), policy.network(), notes, policy.limits(), policy.writeAsOwner());
  }

  /**
   * The pure part: resolved entries to ordered mounts (appends to {@code notes}).
   *
   * @throws SandboxException REJECTED when the driver cannot enforce them
   */
  public List<MountOp> mounts(List<Entry> entries, List<String> notes) throws SandboxException {
    Map<List<String>, Entry> merged = new LinkedHashMap<>();
    for (Entry e : entries) {
      List<String> key = rules.components(e.canonical());
      Entry prev = merged.get(key);
      if (prev == null) {
        merged.put(key, e);
      } else if (prev.access() != e.access()) {
        Entry win = prev.access().strongest(e.access()) == prev.access() ? prev : e;
        notes.add("\"" + e.canonical() + "\" is listed as " + prev.access().label() + " and "
            + e.access().label() + "; " + win.access().label() + " wins");
        merged.put(key, win);
      }
    }
    List<Entry> mapped = merged.values().stream().filter(e -> e.access() != Access.DENIED).toList();
    List<Entry> denied = merged.values().stream().filter(e -> e.access() == Access.DENIED).toList();
    if (!caps.nestedMappings()) {
      for (Entry a : mapped) {
        for (Entry b : mapped) {
          if (rules.strictlyInside(a.canonical(), b.canonical())) {
            throw reject("mapped path \"" + a.canonical() + "\" lies inside mapped path \"" + b.canonical()
                + "\"; the " + driver + " driver cannot nest mapped folders. Map only one of them.");
          }
        }
      }
    }
    List<MountOp> ops = new ArrayList<>();
    for (Entry m : mapped) {
      ops.add(new MountOp.Bind(m.canonical(), m.access() == Access.READ_ONLY, m.kind() == PathWalk.Kind.DIRECTORY));
    }
    for (Entry d : denied) {
      checkNeeded(d);
      if (d.kind() == PathWalk.Kind.MISSING) {
        notes.add("denied path \"" + d.requested() + "\" does not exist (" + d.canonical() + "); nothing to hide");
        continue;
      }
      boolean dir = d.kind() == PathWalk.Kind.DIRECTORY;
      List<MountOp> masks = new ArrayList<>();
      for (Entry m : mapped) {
        if (rules.strictlyInside(d.canonical(), m.canonical())) {
          if (!caps.masking()) {
            throw reject("denied path \"" + d.requested() + "\" lies inside mapped folder \"" + m.canonical()
                + "\"; the " + driver + " driver cannot hide part of a mapped folder. Map a narrower folder instead.");
          }
          masks.add(mask(d.canonical(), dir));
        }
      }
      for (SystemView.Exposed e : caps.view().exposed()) {
        if (rules.same(d.canonical(), e.host()) || rules.strictlyInside(d.canonical(), e.host())) {
          masks.add(mask(e.inside().resolve(e.host().relativize(d.canonical())), dir));
        } else if (rules.strictlyInside(e.host(), d.canonical()) || rules.strictlyInside(e.inside(), d.canonical())) {
          masks.add(mask(e.inside(), e.directory()));
        }
      }
      if (!masks.isEmpty() && !caps.masking()) {
        throw reject("denied path \"" + d.requested() + "\" is shown by the " + driver
            + " driver itself and it cannot hide it");
      }
      ops.addAll(masks);
    }
    return order(ops);
  }

  /** Drops duplicate masks and masks a bind at the same path replaces; stable sort by depth. */
  private List<MountOp> order(List<MountOp> ops) {
    List<MountOp> out = new ArrayList<>();
    for (MountOp op : ops) {
      boolean covered = out.stream().anyMatch(o -> rules.same(o.path(), op.path())
          && (o.getClass() == op.getClass() || o instanceof MountOp.Bind));
      if (covered) {
        continue;
      }
      if (op instanceof MountOp.Bind) {
        out.removeIf(o -> !(o instanceof MountOp.Bind) && rules.same(o.path(), op.path()));
      }
      out.add(op);
    }
    out.sort(Comparator.comparingInt(o -> rules.components(o.path()).size()));
    return out;
  }

  private static MountOp mask(Path inside, boolean directory) {
    return directory ? new MountOp.MaskDir(inside) : new MountOp.MaskFile(inside);
  }

  private void checkNeeded(Entry d) throws SandboxException {
    for (SystemView.Needed n : caps.view().needed()) {
      String how = rules.same(d.canonical(), n.host()) ? "is"
          : rules.strictlyInside(d.canonical(), n.host()) ? "lies inside"
          : rules.strictlyInside(n.host(), d.canonical()) ? "contains" : null;
      if (how != null) {
        throw reject("denied path \"" + d.requested() + "\" " + how + " " + n.what() + " (" + n.host()
            + "), which the guest agent runs on; the " + driver + " driver cannot hide it. Deny a narrower path,"
            + " or run sandboxkit on another Java runtime");
      }
    }
  }

  private Entry mapping(Path p, Access access, List<String> notes) throws SandboxException {
    String what = access.label() + " path \"" + p + "\"";
    if (!p.isAbsolute()) {
      throw reject(what + " is not an absolute host path; give the full path.");
    }
    checkReserved(p.normalize(), what);
    PathWalk.Resolved r;
    try {
      r = PathWalk.resolve(p, writers);
    } catch (IOException e) {
      throw reject(what + " cannot be resolved (" + reason(e) + "); fix the path");
    }
    if (r.kind() == PathWalk.Kind.MISSING) {
      throw reject(what + " does not exist (no such file or directory at " + r.canonical() + "): create it or"
          + " fix the path; the " + driver + " driver can only map an existing host " + (caps.fileMappings()
          ? "file or folder" : "folder"));
    }
    if (!r.hops().isEmpty()) {
      String chain = r.hops().stream().map(h -> h.link() + " -> " + h.target()).collect(Collectors.joining(", "));
      if (r.planted().isPresent()) {
        throw reject(what + " goes through the symlink " + chain + " and resolves to \"" + r.canonical() + "\"; "
            + r.planted().get() + ", so it may have been planted by an earlier run. Map \"" + r.canonical()
            + "\" directly if that is what you mean");
      }
      notes.add(what + " goes through the symlink " + chain + "; it maps \"" + r.canonical() + "\"");
    }
    checkReserved(r.canonical(), what + " (resolved to \"" + r.canonical() + "\")");
    if (r.kind() == PathWalk.Kind.FILE && !caps.fileMappings()) {
      throw reject(what + " is a file; the " + driver + " driver can only map directories. Map its parent"
          + " directory instead.");
    }
    return new Entry(p, r.canonical(), access, r.kind());
  }

  private Entry denied(Path p) throws SandboxException {
    if (!p.isAbsolute()) {
      throw reject("denied path \"" + p + "\" is not an absolute host path; give the full path.");
    }
    if (p.getParent() == null) {
      throw reject("denied path \"" + p + "\" is the root of the file system; the " + driver + " driver cannot"
          + " hide the system the sandbox runs on. Deny the folders you mean.");
    }
    try {
      PathWalk.Resolved r = PathWalk.resolve(p, SandboxWriters.NONE);
      return new Entry(p, r.canonical(), Access.DENIED, r.kind());
    } catch (IOException e) {
      throw reject("denied path \"" + p + "\" cannot be resolved (" + reason(e) + "); fix the path");
    }
  }

  private void checkReserved(Path p, String what) throws SandboxException {
    for (DriverCapabilities.Reserved r : caps.reserved()) {
      boolean hit = switch (r.extent()) {
        case EXACT -> rules.same(p, r.path());
        case WITHIN -> rules.same(p, r.path()) || rules.strictlyInside(p, r.path());
        case OVERLAP -> rules.same(p, r.path()) || rules.strictlyInside(p, r.path())
            || rules.strictlyInside(r.path(), p);
      };
      if (hit) {
        String rel = rules.same(p, r.path()) ? "is" : rules.strictlyInside(p, r.path()) ? "lies inside" : "contains";
        throw reject(what + " " + rel + " " + r.path() + ", which cannot be mapped: " + r.why());
      }
    }
  }

  private static String reason(IOException e) {
    if (e instanceof java.nio.file.AccessDeniedException) {
      return "permission denied";
    }
    if (e instanceof java.nio.file.FileSystemException f && f.getReason() != null) {
      return f.getReason();
    }
    return String.valueOf(e.getMessage());
  }

  private SandboxException reject(String detail) {
    return new SandboxException(FailurePhase.REJECTED, summary(), detail);
  }

  /**
   * The network rules alone (the first check of {@link #plan}): network ALLOW, host lists and a proxy
   * are refused where the driver cannot enforce them. Drivers with checks of their own call it first,
   * so a network problem is reported before theirs, in one wording for every driver.
   *
   * @throws SandboxException REJECTED naming what the driver cannot enforce
   */
  public void checkNetwork(SandboxPolicy policy) throws SandboxException {
    NetworkSupport network = caps.network();
    if (policy.network() == NetworkAccess.ALLOW && !network.allowHostNetwork()) {
      throw reject("outbound network access (network ALLOW) is not supported by the " + driver
          + " driver; its sandbox is isolated from the network. Use network BLOCK or another driver.");
    }
    if (!network.hostLists() && (!policy.allowedHosts().isEmpty() || !policy.blockedHosts().isEmpty())) {
      throw reject("per-host network filtering (allowedHosts " + policy.allowedHosts() + ", blockedHosts "
          + policy.blockedHosts() + ") is not supported by the " + driver
          + " driver; remove the host lists and use network BLOCK or ALLOW.");
    }
    if (!network.proxy() && policy.proxy().isPresent()) {
      throw reject("a network proxy is not supported by the " + driver + " driver; remove the proxy setting.");
    }
  }
}

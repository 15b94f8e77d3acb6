package dev.sandboxkit.cli;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * mxc's parse-time filesystem checks (docs/mxc-compatibility.md §1.4) over the read-write, read-only and
 * denied lists: no blank entry, no NUL, no {@code "}; an entry in several lists stays only in the
 * most restrictive one (deny > read-only > read-write, exact string comparison), with a note.
 * Existence is checked later by the driver's policy planner; here a missing path is only a note.
 */
record PathLists(List<String> readWrite, List<String> readOnly, List<String> denied, List<String> notes) {

  /** Checks and de-overlaps; {@link IllegalArgumentException} with mxc's message on a bad entry. */
  static PathLists resolve(List<String> rw, List<String> ro, List<String> denied) {
    check(rw);
    check(ro);
    check(denied);
    List<String> notes = new ArrayList<>();
    Set<String> deniedSet = new LinkedHashSet<>(denied);
    Set<String> roSet = new LinkedHashSet<>();
    for (String p : ro) {
      if (deniedSet.contains(p)) {
        notes.add(overlap(p, "readonlyPaths", "deniedPaths", "denied"));
      } else {
        roSet.add(p);
      }
    }
    Set<String> rwSet = new LinkedHashSet<>();
    for (String p : rw) {
      if (deniedSet.contains(p)) {
        notes.add(overlap(p, "readwritePaths", "deniedPaths", "denied"));
      } else if (roSet.contains(p)) {
        notes.add(overlap(p, "readwritePaths", "readonlyPaths", "read-only"));
      } else {
        rwSet.add(p);
      }
    }
    missing(rwSet, "readwritePaths", notes);
    missing(roSet, "readonlyPaths", notes);
    return new PathLists(List.copyOf(rwSet), List.copyOf(roSet), List.copyOf(deniedSet), List.copyOf(notes));
  }

  private static void check(List<String> paths) {
    for (String p : paths) {
      if (p.isBlank()) {
        throw new IllegalArgumentException("Filesystem path is empty");
      }
      if (p.indexOf('\0') >= 0) {
        throw new IllegalArgumentException(
            "Filesystem path '" + Text.escape(p) + "' contains an embedded NUL character");
      }
      if (p.indexOf('"') >= 0) {
        throw new IllegalArgumentException(
            "Filesystem path '" + Text.escape(p) + "' contains invalid character '\"'");
      }
    }
  }

  private static String overlap(String p, String list, String other, String intent) {
    return "Filesystem path '" + Text.escape(p) + "' appears in '" + list + "' and '" + other
        + "'; applying most-restrictive intent (" + intent + ")";
  }

  private static void missing(Set<String> paths, String list, List<String> notes) {
    for (String p : paths) {
      boolean exists;
      try {
        exists = Files.exists(Path.of(p));
      } catch (InvalidPathException e) {
        exists = false;
      }
      if (!exists) {
        notes.add("WARNING: filesystem path '" + Text.escape(p) + "' (in '" + list
            + "') does not exist on the host; the driver will reject it when the run starts");
      }
    }
  }
}

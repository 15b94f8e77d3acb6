package dev.sandboxkit.lifecycle.internal.policy;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;

/**
 * Resolves an absolute host path component by component, as the kernel does ({@code ..} after a
 * symlink is taken from the link's target), recording every symlink on the way and whether a sandbox
 * could have planted or could replace it or any folder before it ({@link SandboxWriters}). A missing
 * tail is re-appended lexically to the deepest existing, resolved ancestor.
 */
public final class PathWalk {
  /** As Linux's MAXSYMLINKS. */
  static final int MAX_LINKS = 40;

  /** What a resolved path is. */
  public enum Kind { DIRECTORY, FILE, MISSING }

  /** A symlink met on the way: its path and its target as written. */
  public record Hop(Path link, Path target) {}

  /**
   * The result.
   *
   * @param requested the path as given
   * @param canonical the resolved path (missing tail re-appended)
   * @param kind directory, other existing file, or missing
   * @param hops the symlinks followed, in order
   * @param planted why a sandbox could have placed a followed link (empty when none could)
   */
  public record Resolved(Path requested, Path canonical, Kind kind, List<Hop> hops, Optional<String> planted) {
    public Resolved {
      hops = List.copyOf(hops);
    }
  }

  private PathWalk() {}

  /**
   * Resolves {@code path} (absolute).
   *
   * @throws IOException when a component cannot be read, a non-directory is followed by more names,
   *     or there are more than {@value #MAX_LINKS} links
   */
  public static Resolved resolve(Path path, SandboxWriters writers) throws IOException {
    Path root = path.getRoot();
    Path current = root;
    Deque<String> rest = new ArrayDeque<>();
    path.forEach(n -> rest.addLast(n.toString()));
    List<Hop> hops = new ArrayList<>();
    Path replaceable = null;
    String planted = null;
    while (!rest.isEmpty()) {
      String name = rest.pollFirst();
      if (name.equals(".") || name.isEmpty()) {
        continue;
      }
      if (name.equals("..")) {
        current = current.getParent() == null ? current : current.getParent();
        continue;
      }
      Path candidate = current.resolve(name);
      BasicFileAttributes a;
      try {
        a = Files.readAttributes(candidate, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      } catch (NoSuchFileException e) {
        Path missing = candidate;
        for (String n : rest) {
          missing = missing.resolve(n);
        }
        return new Resolved(path, missing.normalize(), Kind.MISSING, hops, Optional.ofNullable(planted));
      }
      boolean repl = writers.canReplace(candidate);
      if (a.isSymbolicLink()) {
        if (hops.size() >= MAX_LINKS) {
          throw new FileSystemException(path.toString(), null, "too many levels of symbolic links");
        }
        Path target = Files.readSymbolicLink(candidate);
        hops.add(new Hop(candidate, target));
        if (planted == null && (repl || replaceable != null)) {
          planted = repl
              ? "the symlink " + candidate + " is in a folder a sandbox can write (or belongs to a sandbox uid)"
              : "the folder " + replaceable + " on the way to the symlink " + candidate + " can be replaced by a sandbox";
        }
        List<String> names = new ArrayList<>();
        target.forEach(n -> names.add(n.toString()));
        for (int i = names.size() - 1; i >= 0; i--) {
          rest.addFirst(names.get(i));
        }
        if (target.isAbsolute()) {
          current = target.getRoot();
        }
        continue;
      }
      if (repl && replaceable == null) {
        replaceable = candidate;
      }
      if (!rest.isEmpty() && !a.isDirectory()) {
        throw new FileSystemException(candidate.toString(), null, "not a directory");
      }
      current = candidate;
    }
    Kind kind = Files.isDirectory(current, LinkOption.NOFOLLOW_LINKS) ? Kind.DIRECTORY : Kind.FILE;
    return new Resolved(path, current, kind, hops, Optional.ofNullable(planted));
  }
}

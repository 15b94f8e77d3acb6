package dev.sandboxkit.lifecycle.internal.startup;

import java.util.List;

/** Loads and initialises classes ahead of their first use (the warm-ups share it). */
public final class ClassPreload {
  private ClassPreload() {}

  /**
   * Loads and initialises the named classes with {@code loader}, in order, skipping any that is
   * absent or fails to initialise (a warm-up only loses time then).
   */
  public static void initialise(List<String> names, ClassLoader loader) {
    for (String name : names) {
      try {
        Class.forName(name, true, loader);
      } catch (ClassNotFoundException | LinkageError e) {
        // renamed or absent: only a lost warm-up
      }
    }
  }
}

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.spi.ToolProvider;

/**
 * CI check (issue 16): no cycle between the project's packages. Reads each module's compiled main
 * classes with jdeps (class level), builds the package graph and fails, printing every cycle and the
 * class edges that close it, when packages import each other in a circle.
 *
 * <p>No exception: the public entry points ({@code Sandbox}, {@code OneShotRunner}, {@code
 * SandboxDrivers}) live in {@code dev.sandboxkit}, above the internal packages, and the public value
 * types in {@code dev.sandboxkit.lifecycle}, below them, so the public API needs none.
 *
 * <p>Usage (after {@code mvn verify} or {@code package}): {@code java .ci/PackageCycles.java
 * [build-dir-name]} from the project root; the build folder defaults to {@code target}. Exit 1 on a
 * cycle, 2 when nothing was found to read.
 */
public final class PackageCycles {
  static final Pattern EDGE = Pattern.compile("^\\s+(dev\\.sandboxkit\\S*)\\s+->\\s+(dev\\.sandboxkit\\S*)\\s");

  public static void main(String[] args) throws Exception {
    String build = args.length > 0 ? args[0] : "target";
    List<String> dirs = new ArrayList<>();
    try (var s = Files.list(Path.of("."))) {
      for (Path m : (Iterable<Path>) s.sorted()::iterator) {
        Path classes = m.resolve(build).resolve("classes");
        if (Files.isDirectory(classes.resolve("dev"))) {
          dirs.add(classes.toString());
        }
      }
    }
    if (dirs.isEmpty()) {
      System.err.println("package-cycles: no */" + build + "/classes to read; build first (mvn -DskipTests package)");
      System.exit(2);
    }
    ToolProvider jdeps = ToolProvider.findFirst("jdeps").orElseThrow();
    Map<String, Set<String>> graph = new TreeMap<>();
    Map<String, Set<String>> why = new HashMap<>();
    for (String dir : dirs) {
      StringWriter out = new StringWriter();
      List<String> a = new ArrayList<>(List.of("-verbose:class", "-filter:none", "-cp", String.join(":", dirs), dir));
      jdeps.run(new PrintWriter(out), new PrintWriter(System.err), a.toArray(String[]::new));
      for (String line : out.toString().split("\n")) {
        Matcher m = EDGE.matcher(line);
        if (!m.find()) {
          continue;
        }
        String from = m.group(1), to = m.group(2);
        String fromPkg = pkg(from), toPkg = pkg(to);
        if (fromPkg.equals(toPkg)) {
          continue;
        }
        graph.computeIfAbsent(fromPkg, k -> new TreeSet<>()).add(toPkg);
        why.computeIfAbsent(fromPkg + " -> " + toPkg, k -> new TreeSet<>()).add(from + " -> " + to);
      }
    }
    List<List<String>> cycles = strongComponents(graph);
    int edges = graph.values().stream().mapToInt(Set::size).sum();
    System.out.println("package-cycles: " + dirs.size() + " modules, " + graph.size() + " packages, " + edges
        + " package edges, " + cycles.size() + " cycles");
    for (List<String> c : cycles) {
      System.out.println("CYCLE " + String.join(" ", c));
      for (String p : c) {
        for (String q : graph.getOrDefault(p, Set.of())) {
          if (c.contains(q)) {
            System.out.println("  " + p + " -> " + q + ": " + String.join(", ", why.get(p + " -> " + q)));
          }
        }
      }
    }
    System.exit(cycles.isEmpty() ? 0 : 1);
  }

  static String pkg(String cls) {
    return cls.substring(0, cls.lastIndexOf('.'));
  }

  /** Tarjan's strongly connected components with more than one package. */
  static List<List<String>> strongComponents(Map<String, Set<String>> g) {
    Map<String, Integer> index = new HashMap<>(), low = new HashMap<>();
    Deque<String> stack = new ArrayDeque<>();
    Set<String> on = new TreeSet<>();
    List<List<String>> out = new ArrayList<>();
    int[] counter = {0};
    for (String v : g.keySet()) {
      if (!index.containsKey(v)) {
        visit(v, g, index, low, stack, on, out, counter);
      }
    }
    return out;
  }

  private static void visit(String v, Map<String, Set<String>> g, Map<String, Integer> index,
      Map<String, Integer> low, Deque<String> stack, Set<String> on, List<List<String>> out, int[] counter) {
    index.put(v, counter[0]);
    low.put(v, counter[0]++);
    stack.push(v);
    on.add(v);
    for (String w : g.getOrDefault(v, Set.of())) {
      if (!index.containsKey(w)) {
        visit(w, g, index, low, stack, on, out, counter);
        low.put(v, Math.min(low.get(v), low.get(w)));
      } else if (on.contains(w)) {
        low.put(v, Math.min(low.get(v), index.get(w)));
      }
    }
    if (low.get(v).equals(index.get(v))) {
      List<String> comp = new ArrayList<>();
      String w;
      do {
        w = stack.pop();
        on.remove(w);
        comp.add(w);
      } while (!w.equals(v));
      if (comp.size() > 1) {
        comp.sort(null);
        out.add(comp);
      }
    }
  }
}

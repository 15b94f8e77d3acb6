import dev.sandboxkit.lifecycle.NetworkAccess;
import dev.sandboxkit.lifecycle.internal.vm.bubblewrap.BubblewrapDriver;
import dev.sandboxkit.lifecycle.internal.vm.bubblewrap.BwrapCommand;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Prints (NUL-separated) the bubblewrap driver's own command line for the latency floors of
 * benchmarks/run.sh, built by the driver's pure {@link BwrapCommand#build} with the driver's host
 * facts, so the floors use exactly the namespaces, binds, setpriv and guest JVM flags of a real run.
 *
 * <p>Usage (run with the CLI jar on the class path, as a single-file source program):
 * {@code java -cp sandboxkit.jar BwrapFloor true|jvm EMPTY_JAR RENDEZVOUS_DIR}
 *
 * <ul>
 *   <li>{@code true}: the command up to the guest JVM, then {@code /bin/true} instead of it;
 *   <li>{@code jvm}: the whole command, with EMPTY_JAR mapped where the guest jar goes, so the same
 *       {@code java <guest flags> -jar ...} starts a JVM whose main class does nothing.
 * </ul>
 */
public final class BwrapFloor {
  public static void main(String[] args) throws Exception {
    String mode = args[0];
    Path emptyJar = Path.of(args[1]);
    Path rendezvous = Path.of(args[2]);
    boolean root = "root".equals(System.getProperty("user.name"));
    Path javaHome = Path.of(System.getProperty("java.home")).toRealPath();
    BwrapCommand.Spec spec = new BwrapCommand.Spec(
        Path.of("/usr/bin/bwrap"), root, BubblewrapDriver.SANDBOX_UID, BubblewrapDriver.SANDBOX_GID,
        javaHome, javaExtraRoots(javaHome), emptyJar, rendezvous, List.of(), NetworkAccess.BLOCK);
    List<String> argv = new ArrayList<>(BwrapCommand.build(spec, layout()));
    if (mode.equals("true")) {
      int java = argv.indexOf(BwrapCommand.INSIDE_JAVA + "/bin/java");
      argv = new ArrayList<>(argv.subList(0, java));
      argv.add("/bin/true");
    }
    StringBuilder out = new StringBuilder();
    for (String a : argv) {
      out.append(a).append('\0');
    }
    System.out.print(out);
  }

  /** The driver's HostFacts (package-private), reflectively; else the same rule replicated. */
  private static BwrapCommand.HostLayout layout() throws Exception {
    try {
      Method m = hostFacts().getDeclaredMethod("layout");
      m.setAccessible(true);
      return (BwrapCommand.HostLayout) m.invoke(null);
    } catch (ReflectiveOperationException | RuntimeException e) {
      System.err.println("BwrapFloor: HostFacts.layout() not reachable (" + e + "); replicating it");
      Map<String, String> dirs = new LinkedHashMap<>();
      for (String d : BwrapCommand.SYSTEM_DIRS) {
        Path p = Path.of(d);
        if (Files.isSymbolicLink(p)) {
          dirs.put(d, Files.readSymbolicLink(p).toString());
        } else if (Files.isDirectory(p)) {
          dirs.put(d, "");
        }
      }
      return new BwrapCommand.HostLayout(dirs);
    }
  }

  @SuppressWarnings("unchecked")
  private static List<Path> javaExtraRoots(Path javaHome) {
    try {
      Method m = hostFacts().getDeclaredMethod("javaExtraRoots", Path.class);
      m.setAccessible(true);
      return (List<Path>) m.invoke(null, javaHome);
    } catch (ReflectiveOperationException | RuntimeException e) {
      System.err.println("BwrapFloor: HostFacts.javaExtraRoots() not reachable (" + e + "); replicating it");
      Path etc = Path.of("/etc/" + javaHome.getFileName());
      return Files.isDirectory(etc) ? List.of(etc) : List.of();
    }
  }

  private static Class<?> hostFacts() throws ClassNotFoundException {
    return Class.forName("dev.sandboxkit.lifecycle.internal.vm.bubblewrap.HostFacts");
  }
}

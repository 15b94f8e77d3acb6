package dev.sandboxkit.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/**
 * Issue 13.11: the README's library quick-start from a fresh project with only its dependency
 * block. A throwaway Maven project, whose pom holds the README's {@code <dependency>} and whose main
 * is the README's Java snippet, is built by this build's Maven against a local repository that holds
 * this reactor's artifacts (copied in as installed, never into ~/.m2) and, for everything else, the
 * build's own local repository as its only remote (a file:// mirror of '*': no network). The
 * resulting jar runs with no guest-jar property or variable: the agent comes from the dependency.
 */
@EnabledOnOs(OS.LINUX)
@Timeout(600)
class LibraryFromMavenIT {
  private static final List<String> MODULES =
      List.of("sandbox-protocol", "sandbox-auth", "sandbox-lifecycle", "guest-agent-bundle");
  private CliProcess cli;

  @BeforeEach
  void setUp() throws Exception {
    cli = new CliProcess();
  }

  @AfterEach
  void tearDown() {
    cli.delete();
  }

  private static String prop(String name) {
    String v = System.getProperty(name);
    assertTrue(v != null && !v.isBlank(), "system property " + name + " (set by host-cli's pom)");
    return v;
  }

  /** Our artifacts as `mvn install` would lay them out (no _remote.repositories: locally installed). */
  private static void seed(Path repo, Path root, String buildDir, String version) throws Exception {
    Path parent = repo.resolve("dev/sandboxkit/sandboxkit-parent/" + version);
    Files.createDirectories(parent);
    Files.copy(root.resolve("pom.xml"), parent.resolve("sandboxkit-parent-" + version + ".pom"));
    for (String m : MODULES) {
      Path dir = repo.resolve("dev/sandboxkit/" + m + "/" + version);
      Files.createDirectories(dir);
      Path jar = root.resolve(m).resolve(buildDir).resolve(m + "-" + version + ".jar");
      assertTrue(Files.isRegularFile(jar), "the reactor built " + jar);
      Files.copy(jar, dir.resolve(m + "-" + version + ".jar"), StandardCopyOption.REPLACE_EXISTING);
      Files.copy(root.resolve(m).resolve("pom.xml"), dir.resolve(m + "-" + version + ".pom"));
    }
  }

  /** The first fenced block of {@code lang} after the heading {@code ## Library quick-start}. */
  static String readmeBlock(String readme, String lang) {
    int at = readme.indexOf("## Library quick-start");
    assertTrue(at >= 0, "README has a Library quick-start section");
    Matcher m = Pattern.compile("```" + lang + "\\n(.*?)```", Pattern.DOTALL).matcher(readme);
    assertTrue(m.find(at), "a ```" + lang + " block in the quick-start");
    return m.group(1);
  }

  @Test
  void theReadmeQuickStartRunsFromAFreshProjectWithOnlyTheDependency() throws Exception {
    Path root = Path.of(prop("sandboxkit.it.root")).toRealPath();
    String version = prop("sandboxkit.it.version");
    String readme = Files.readString(root.resolve("README.md"));
    String dependency = readmeBlock(readme, "xml");
    assertTrue(dependency.contains("<version>" + version + "</version>"), "the README names this version");
    String snippet = readmeBlock(readme, "java");

    Path repo = cli.tmp.resolve("repo");
    seed(repo, root, prop("sandboxkit.it.buildDir"), version);
    Path settings = cli.tmp.resolve("settings.xml");
    Files.writeString(settings, "<settings><mirrors><mirror><id>build-local</id><mirrorOf>*</mirrorOf><url>"
        + Path.of(prop("sandboxkit.it.localRepo")).toUri() + "</url></mirror></mirrors></settings>\n");

    Path project = cli.tmp.resolve("quickstart");
    Path src = project.resolve("src/main/java/example");
    Files.createDirectories(src);
    StringBuilder imports = new StringBuilder();
    StringBuilder body = new StringBuilder();
    for (String line : snippet.split("\n")) {
      (line.startsWith("import ") ? imports : body).append(line).append('\n');
    }
    Files.writeString(src.resolve("Main.java"), "package example;\n\n" + imports
        + "\npublic class Main {\n  public static void main(String[] args) {\n" + body + "  }\n}\n");
    String template = new String(LibraryFromMavenIT.class.getResourceAsStream("/quickstart-pom.xml").readAllBytes(),
        StandardCharsets.UTF_8);
    Files.writeString(project.resolve("pom.xml"), template.replace("<!--DEPENDENCY-->", dependency));

    Path mvn = Path.of(prop("sandboxkit.it.mavenHome"), "bin", "mvn");
    CliProcess.Result build = cli.exec(List.of(mvn.toString(), "-B", "-ntp", "-q", "-s", settings.toString(),
        "-Dmaven.repo.local=" + repo, "-DskipTests", "package"), null,
        Map.of("MAVEN_OPTS", "-XX:+UseSerialGC -XX:TieredStopAtLevel=1"), project);
    assertEquals(0, build.exit(), "the throwaway project builds offline:\n" + build.stdout() + build.stderr());

    Path cache = cli.tmp.resolve("user-cache");
    List<String> run = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Djava.io.tmpdir=" + cli.tmp, "-jar", project.resolve("target/quickstart-1.jar").toString()));
    CliProcess.Result r = cli.exec(run, null, Map.of("XDG_CACHE_HOME", cache.toString()), project);
    assertEquals(0, r.exit(), r.stderr());
    assertEquals("3\nhello from the sandbox\nPROCESS_EXITED\n", r.stdout(), r.stderr());
    try (Stream<Path> s = Files.list(cache.resolve("sandboxkit/guest"))) {
      assertEquals(1, s.filter(p -> p.getFileName().toString().matches("sandboxkit-guest-.*\\.jar")).count(),
          "the agent came from the dependency, copied into the user's cache");
    }
  }
}

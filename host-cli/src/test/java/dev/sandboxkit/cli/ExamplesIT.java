package dev.sandboxkit.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/**
 * Every example in {@code --help}, {@code run --help} and the README is run as a user would type
 * it, through the real launcher, in a folder with what the examples name (src/Makefile, out/,
 * request.json): none may fail for a reason of sandboxkit's (124, 125, 126, 127 or a
 * "sandboxkit:" error line). Issue 13.5: the help's make example used to fail.
 */
@EnabledOnOs(OS.LINUX)
@Timeout(600)
class ExamplesIT {
  private static final Path README = CliProcess.LAUNCHER.getParent().resolve("README.md");

  @Test
  void everyExampleRuns() throws Exception {
    CliProcess cli = new CliProcess();
    try {
      Set<String> examples = new LinkedHashSet<>();
      examples.addAll(helpExamples(cli, "--help"));
      examples.addAll(helpExamples(cli, "run", "--help"));
      examples.addAll(readmeExamples(Files.readString(README)));
      assertTrue(examples.size() >= 12, "examples found: " + examples);
      Path dir = fixture(cli.tmp.resolve("project"));
      List<String> failures = new ArrayList<>();
      for (String example : examples) {
        Map<String, String> env = new HashMap<>(FirstHourIT.launcherEnv(cli));
        env.put("L", CliProcess.LAUNCHER.toString());
        String script = "sandboxkit() { \"$L\" \"$@\"; }\n" + example.replace("./sandboxkit ", "sandboxkit ");
        CliProcess.Result r = cli.exec(List.of("bash", "-c", script), null, env, dir);
        boolean ours = r.exit() >= 124 && r.exit() <= 127 || r.stderr().contains("sandboxkit: ");
        if (ours) {
          failures.add(example + "\n  exit " + r.exit() + "\n  stdout: " + r.stdout() + "\n  stderr: " + r.stderr());
        }
        if (example.contains("GREETING")) {
          assertEquals("hi\n", r.stdout(), example);
        }
        if (example.contains("make -C src") && !ours) {
          assertEquals("built\n", Files.readString(dir.resolve("out/built.txt")), example);
        }
      }
      if (!failures.isEmpty()) {
        fail(failures.size() + " example(s) failed:\n" + String.join("\n", failures));
      }
    } finally {
      cli.delete();
    }
  }

  /** The "Examples:" lines of a help text. */
  private static List<String> helpExamples(CliProcess cli, String... args) throws Exception {
    CliProcess.Result r = cli.run(args);
    assertEquals(0, r.exit(), r.stderr());
    List<String> out = new ArrayList<>();
    boolean in = false;
    for (String line : r.stdout().split("\n")) {
      if (line.equals("Examples:")) {
        in = true;
      } else if (in && line.startsWith("  sandboxkit ")) {
        out.add(line.strip());
      } else if (in && !line.isBlank() && !line.startsWith("  ")) {
        break;
      }
    }
    assertFalse(out.isEmpty(), "examples in " + String.join(" ", args));
    return out;
  }

  /** Shell lines and inline code spans of the README that run {@code ./sandboxkit}. */
  static List<String> readmeExamples(String readme) {
    List<String> out = new ArrayList<>();
    boolean sh = false;
    for (String line : readme.split("\n")) {
      if (line.startsWith("```")) {
        sh = !sh && line.equals("```sh");
        continue;
      }
      if (sh && line.startsWith("./sandboxkit ")) {
        out.add(line.strip());
      } else if (!sh) {
        Matcher m = Pattern.compile("`(\\./sandboxkit [^`]+)`").matcher(line);
        while (m.find()) {
          out.add(m.group(1).replace("\\|", "|")); // a | escaped inside a table
        }
      }
    }
    return out;
  }

  private static Path fixture(Path dir) throws Exception {
    Files.createDirectories(dir.resolve("src"));
    Files.createDirectories(dir.resolve("out"));
    Files.writeString(dir.resolve("src/Makefile"), "all:\n\techo built > ../out/built.txt\n");
    Files.writeString(dir.resolve("Makefile"), "test:\n\t@echo tests pass\n");
    Files.writeString(dir.resolve("request.json"),
        "{\"containment\":\"vm\",\"process\":{\"commandLine\":\"echo from the request\",\"timeout\":60000}}\n");
    // --here maps the folder read-write: on a root host the workload's uid must be able to write it
    for (Path p : List.of(dir, dir.resolve("src"), dir.resolve("out"))) {
      Files.setPosixFilePermissions(p, java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwxrwx"));
    }
    return dir;
  }
}

package dev.sandboxkit.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sandboxkit.lifecycle.SandboxDriver;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;

/** {@code sandboxkit doctor}: each driver's prerequisites, checked without elevation. */
final class DoctorCommand implements Callable<Integer>, ErrorHandler.Verbosity {
  /** Created on first use only: building the mapper costs start-up time the other commands need not pay. */
  private static final class Json {
    static final ObjectMapper MAPPER = new ObjectMapper();
  }

  private final Backend backend;
  private final CommandSpec spec;

  boolean json;
  boolean verbose;

  DoctorCommand(Backend backend) {
    this.backend = backend;
    spec = Specs.command(this, "doctor");
    spec.usageMessage()
        .description(
            "Checks each driver's prerequisites without elevation and prints one line per check, "
                + "✓ or ✗, with the fix for each failed one. Linux (bubblewrap): bwrap installed, user "
                + "namespaces usable (or running as root), setpriv present when root, a Java runtime to "
                + "map, the guest agent jar. Windows (windows-sandbox): the Windows Sandbox feature, "
                + "virtualization.")
        .exitCodeList(Specs.exitCodes(
            "0:the default driver is ready",
            "1:the default driver is not ready (see the ✗ lines)",
            "125:bad usage"))
        .footer("  sandboxkit doctor", "  sandboxkit doctor --json | jq .ready");
    spec.addOption(Specs.option(this, "json", "--json")
        .description("print {\"default_driver\":..,\"ready\":..,\"drivers\":[{\"driver\":..,"
            + "\"default\":..,\"ready\":..,\"checks\":[{\"name\":..,\"ok\":..,\"detail\":..,"
            + "\"fix\":..}]}]}").build());
    spec.addOption(Specs.option(this, "verbose", "-v", "--verbose")
        .description("print error details").build());
    Specs.addStandardHelpOptions(spec);
  }

  CommandSpec spec() {
    return spec;
  }

  @Override
  public boolean verbose() {
    return verbose;
  }

  @Override
  public Integer call() throws JsonProcessingException {
    List<Backend.DriverReport> reports = backend.doctor();
    Backend.DriverReport def = reports.stream().filter(Backend.DriverReport::isDefault).findFirst()
        .orElseThrow(() -> new IllegalStateException("no default driver"));
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      out.println(Json.MAPPER.writeValueAsString(toJson(reports, def)));
    } else {
      for (String line : render(reports, def)) {
        out.println(line);
      }
    }
    out.flush();
    return def.ready() ? ExitCodes.OK : ExitCodes.NOT_READY;
  }

  /** The human-readable report (pure; tested). */
  static List<String> render(List<Backend.DriverReport> reports, Backend.DriverReport def) {
    List<String> lines = new ArrayList<>();
    for (Backend.DriverReport r : reports) {
      lines.add(r.driver() + (r.isDefault() ? " (default driver)" : ""));
      for (SandboxDriver.Check c : r.checks()) {
        String detail = c.detail().isBlank() ? "" : " — " + Text.escape(c.detail());
        lines.add("  " + (c.ok() ? "✓ " : "✗ ") + Text.escape(c.name()) + detail);
        if (!c.ok() && !c.fix().isBlank()) {
          lines.add("      fix: " + Text.escape(c.fix()));
        }
      }
    }
    lines.add(def.ready()
        ? "ready: the default driver " + def.driver() + " can run sandboxes"
        : "not ready: the default driver " + def.driver() + " is missing prerequisites (fix the ✗ lines)");
    return lines;
  }

  private static Map<String, Object> toJson(List<Backend.DriverReport> reports, Backend.DriverReport def) {
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("default_driver", def.driver());
    root.put("ready", def.ready());
    List<Object> drivers = new ArrayList<>();
    for (Backend.DriverReport r : reports) {
      Map<String, Object> d = new LinkedHashMap<>();
      d.put("driver", r.driver());
      d.put("default", r.isDefault());
      d.put("ready", r.ready());
      List<Object> checks = new ArrayList<>();
      for (SandboxDriver.Check c : r.checks()) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", c.name());
        m.put("ok", c.ok());
        m.put("detail", c.detail());
        m.put("fix", c.fix());
        checks.add(m);
      }
      d.put("checks", checks);
      drivers.add(d);
    }
    root.put("drivers", drivers);
    return root;
  }
}

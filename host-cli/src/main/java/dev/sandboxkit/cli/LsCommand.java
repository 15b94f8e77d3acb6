package dev.sandboxkit.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sandboxkit.cli.session.SessionManager;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;

/** {@code sandboxkit ls}: the sessions, with dead daemons shown as gone. */
final class LsCommand implements Callable<Integer>, ErrorHandler.Verbosity {
  private final Backend backend;
  private final CommandSpec spec;

  boolean json;
  boolean verbose;

  LsCommand(Backend backend) {
    this.backend = backend;
    spec = Specs.command(this, "ls");
    spec.usageMessage()
        .description("Lists the sandboxes started with 'sandboxkit start' (and mxc state-aware ones): "
            + "id, name, driver, state, age and policy. States: running; starting; gone (its daemon "
            + "died: the sandbox died with it; 'sandboxkit cleanup' removes it); provisioned and "
            + "stopped (mxc); corrupt (an unreadable record, shown with the reason).")
        .exitCodeList(Specs.exitCodes("0:listed (possibly nothing)"))
        .footer("  sandboxkit ls", "  sandboxkit ls --json");
    spec.addOption(Specs.option(this, "json", "--json").description("one JSON array on stdout").build());
    spec.addOption(Specs.option(this, "verbose", "-v", "--verbose").description("print error details").build());
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
  public Integer call() {
    List<SessionManager.Row> rows = Sessions.manager(backend).list();
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      ObjectMapper m = new ObjectMapper();
      ArrayNode a = m.createArrayNode();
      for (SessionManager.Row r : rows) {
        ObjectNode n = a.addObject().put("id", r.id());
        if (r.name().isPresent()) {
          n.put("name", r.name().get());
        } else {
          n.putNull("name");
        }
        n.put("driver", r.driver()).put("state", r.state()).put("age_ms", r.ageMs())
            .put("policy", r.policy()).put("origin", r.origin());
      }
      out.println(a.toString());
    } else {
      out.println(String.format("%-8s  %-16s  %-15s  %-11s  %6s  %s", "ID", "NAME", "DRIVER", "STATE", "AGE", "POLICY"));
      for (SessionManager.Row r : rows) {
        out.println(String.format("%-8s  %-16s  %-15s  %-11s  %6s  %s", r.id(), r.name().orElse("-"),
            r.driver(), r.state(), age(r.ageMs()), Text.escape(r.policy())));
      }
    }
    out.flush();
    return ExitCodes.OK;
  }

  static String age(long ms) {
    long s = Math.max(0, ms / 1000);
    if (s < 60) {
      return s + "s";
    }
    if (s < 3600) {
      return s / 60 + "m";
    }
    if (s < 86400) {
      return s / 3600 + "h";
    }
    return s / 86400 + "d";
  }
}

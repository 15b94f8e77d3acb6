package dev.sandboxkit.cli;

import java.lang.reflect.Field;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.IGetter;
import picocli.CommandLine.Model.ISetter;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * The commands' picocli models, built with picocli's programmatic API rather than read from
 * annotations. Start-up time: reading the annotations cost every start ~50 ms (the JDK generates a
 * proxy class per annotation type, picocli reflects over every field and method), about half of
 * what picocli did before a run started. Each command gets what {@code @Command(
 * mixinStandardHelpOptions = true, versionProvider = VersionProvider.class, usageHelpAutoWidth =
 * true, exitCodeOnInvalidInput = 125, exitCodeOnExecutionException = 125, exitCodeListHeading =
 * "%nExit codes:%n", footerHeading = "%nExamples:%n")} gave it; options bind to the command's
 * fields as {@code @Option} fields do. UsageTextTest pins the help texts and usage errors byte for
 * byte as the annotated commands printed them.
 */
final class Specs {
  private Specs() {}

  /** The model of {@code command} named {@code name}; add its options, then the standard ones. */
  static CommandSpec command(Callable<Integer> command, String name) {
    CommandSpec spec = CommandSpec.wrapWithoutInspection(command);
    spec.name(name)
        .versionProvider(new VersionProvider())
        .exitCodeOnInvalidInput(ExitCodes.SANDBOX_FAILED)
        .exitCodeOnExecutionException(ExitCodes.SANDBOX_FAILED);
    spec.usageMessage()
        .autoWidth(true)
        .exitCodeListHeading("%nExit codes:%n")
        .footerHeading("%nExamples:%n");
    return spec;
  }

  /**
   * {@code -h/--help} and {@code -V/--version} as picocli's mixinStandardHelpOptions adds them: same
   * names, keys and texts, after the command's own options (the order "Possible solutions:" lists).
   */
  static void addStandardHelpOptions(CommandSpec spec) {
    spec.addOption(OptionSpec.builder("-h", "--help").usageHelp(true)
        .descriptionKey("mixinStandardHelpOptions.help")
        .description("Show this help message and exit.").build());
    spec.addOption(OptionSpec.builder("-V", "--version").versionHelp(true)
        .descriptionKey("mixinStandardHelpOptions.version")
        .description("Print version information and exit.").build());
  }

  /** The exit code list from {@code "code:meaning"} lines, as the exitCodeList attribute reads them. */
  static Map<String, String> exitCodes(String... lines) {
    Map<String, String> codes = new LinkedHashMap<>();
    for (String line : lines) {
      int colon = line.indexOf(':');
      codes.put(line.substring(0, colon), line.substring(colon + 1));
    }
    return codes;
  }

  /**
   * An option bound to the field {@code field} of {@code command} (its type is the option's type; a
   * {@code List} field collects strings, one per occurrence). The field's value now is the initial
   * value picocli resets it to before parsing, as for an annotated field.
   */
  static OptionSpec.Builder option(Object command, String field, String... names) {
    FieldBinding binding = new FieldBinding(command, field);
    OptionSpec.Builder b = OptionSpec.builder(names).type(binding.type()).getter(binding).setter(binding)
        .initialValue(binding.get());
    return binding.type() == List.class ? b.auxiliaryTypes(String.class) : b;
  }

  /** {@code --driver NAME} (default auto) bound to the field {@code driver}, as the session and maintenance verbs show it. */
  static OptionSpec driverOption(Object command) {
    return option(command, "driver", "--driver").paramLabel("NAME").defaultValue(RunCommand.DEFAULT_DRIVER)
        .description("auto (default), bubblewrap or windows-sandbox").build();
  }

  /** The positional parameters collected into the {@code List<String>} field {@code field}. */
  static PositionalParamSpec.Builder positionals(Object command, String field) {
    FieldBinding binding = new FieldBinding(command, field);
    return PositionalParamSpec.builder().type(List.class).auxiliaryTypes(String.class)
        .getter(binding).setter(binding).initialValue(binding.get());
  }

  /**
   * Reads and writes one field of a command, as picocli's binding of an annotated field does, by
   * reflection on the field alone (no annotations read, no lambda bootstrapped: both cost start-up).
   */
  private static final class FieldBinding implements IGetter, ISetter {
    private final Object command;
    private final Field field;

    FieldBinding(Object command, String name) {
      this.command = command;
      try {
        this.field = command.getClass().getDeclaredField(name);
      } catch (NoSuchFieldException e) {
        throw new IllegalArgumentException(command.getClass().getName() + " has no field " + name, e);
      }
    }

    Class<?> type() {
      return field.getType();
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> T get() {
      try {
        return (T) field.get(command);
      } catch (IllegalAccessException e) {
        throw new IllegalStateException("cannot read " + field, e);
      }
    }

    @Override
    public <T> T set(T value) {
      T old = get();
      try {
        field.set(command, value);
      } catch (IllegalAccessException e) {
        throw new IllegalStateException("cannot write " + field, e);
      }
      return old;
    }
  }
}

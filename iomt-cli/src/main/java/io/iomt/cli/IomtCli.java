package io.iomt.cli;

import java.io.PrintWriter;
import java.util.function.Function;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Entry point of {@code bin/iomt}. Exit codes are a contract that scripts rely on: 0 success, 1 an
 * event violates the mapping, 2 an invalid mapping or wrong usage.
 */
@Command(
    name = "iomt",
    mixinStandardHelpOptions = true,
    versionProvider = IomtCli.Version.class,
    description = "IoMT connector for FHIR: mapping tools.",
    subcommands = {NormalizeCommand.class, ValidateCommand.class, MappingCommand.class})
public final class IomtCli implements Runnable {
  public static final int OK = 0;
  public static final int DATA_ERROR = 1;
  public static final int USAGE_OR_MAPPING_ERROR = 2;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
  }

  /** Runs the CLI with the given streams; returns the exit code. Used by tests in-process. */
  public static int run(PrintWriter out, PrintWriter err, String... args) {
    return run(System::getenv, out, err, args);
  }

  /**
   * As {@link #run(PrintWriter, PrintWriter, String...)}, reading environment variables from env.
   */
  static int run(Function<String, String> env, PrintWriter out, PrintWriter err, String... args) {
    CommandLine cli = new CommandLine(new IomtCli(), new Factory(env));
    cli.setOut(out);
    cli.setErr(err);
    cli.setExitCodeExceptionMapper(e -> USAGE_OR_MAPPING_ERROR);
    cli.setExecutionExceptionHandler(
        (e, commandLine, parseResult) -> {
          if (e instanceof IllegalArgumentException) {
            commandLine.getErr().println("iomt: " + e.getMessage());
          } else {
            commandLine.getErr().println("iomt: internal error, please report it: " + e);
            e.printStackTrace(commandLine.getErr());
          }
          return USAGE_OR_MAPPING_ERROR;
        });
    int code = cli.execute(args);
    out.flush();
    err.flush();
    return code;
  }

  @Override
  public void run() {
    throw new CommandLine.ParameterException(
        spec.commandLine(), "Missing command: use 'normalize', 'validate' or 'mapping test'");
  }

  /** Gives the commands that read environment variables the environment to read. */
  private record Factory(Function<String, String> env) implements CommandLine.IFactory {
    @Override
    public <K> K create(Class<K> type) throws Exception {
      if (type == MappingTestCommand.class) {
        return type.cast(new MappingTestCommand(env));
      }
      return CommandLine.defaultFactory().create(type);
    }
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = IomtCli.class.getPackage().getImplementationVersion();
      return new String[] {"iomt " + (v == null ? "development build" : v)};
    }
  }
}

package io.rktlet;

import io.rktlet.check.CheckCommand;
import io.rktlet.config.ConfigException;
import io.rktlet.config.ConfigReloader;
import io.rktlet.config.ConfigResolver;
import io.rktlet.config.Options;
import io.rktlet.config.RktletConfig;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * Command-line entry point: {@code rktlet [options]} serves the CRI until SIGTERM, and
 * {@code rktlet check [options]} diagnoses the host.
 */
@Command(name = "rktlet", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
    sortOptions = false, usageHelpAutoWidth = true, subcommands = CheckCommand.class,
    description = "Kubernetes CRI v1 server that runs pods with rkt. Flags override the TOML "
        + "configuration file, which overrides the defaults. \"rktlet check [options]\" "
        + "checks the host instead of serving.")
public final class Main implements Callable<Integer> {
  @Mixin
  private Options options = new Options();

  public static void main(String[] args) {
    int exitCode = new CommandLine(new Main())
        // A flag given twice takes its last value, as in the kubelet and other Go daemons.
        .setOverwrittenOptionsAllowed(true)
        .setExecutionExceptionHandler((error, command, parsed) -> {
          if (error instanceof ConfigException) {
            command.getErr().println("rktlet: " + error.getMessage());
            return 2;
          }
          throw error;
        })
        .execute(args);
    if (exitCode != 0) {
      System.exit(exitCode);
    }
  }

  @Override
  public Integer call() throws Exception {
    RktletConfig config = ConfigResolver.resolve(options);
    ConfigReloader.setLogLevel(config.logLevel());
    Rktlet rktlet = Rktlet.create(config);
    new ConfigReloader(options, config, rktlet::updateRegistries).install();
    Runtime.getRuntime().addShutdownHook(new Thread(rktlet::stop, "shutdown"));
    rktlet.start();
    rktlet.awaitTermination();
    return 0;
  }


  /** Prints rktlet's version from the jar manifest. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String version = Main.class.getPackage().getImplementationVersion();
      return new String[] {"rktlet " + (version == null ? "(development build)" : version)};
    }
  }
}

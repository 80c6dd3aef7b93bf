package io.rktlet.check;

import io.rktlet.process.ProcessResult;
import io.rktlet.process.ProcessRunner;
import io.rktlet.process.ProcessSpec;
import io.rktlet.rkt.RktArgs;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Returns canned results for the rkt commands that the checks run, by subcommand: output
 * recorded from rkt v1.30.0 (the version text and image list) unless a test row changes it.
 */
final class ScriptedRkt implements ProcessRunner {
  static final String VERSION_1_30 = "rkt Version: 1.30.0\nappc Version: 0.8.11\n"
      + "Go Version: go1.19.8\nGo OS/Arch: linux/amd64\nFeatures: -TPM -SDJOURNAL\n";
  static final String STAGE1_HOST_ID =
      "sha512-08d70b0612b55907ea1823abb6c1111a313f05fef667468fb477833d0a6a776c";
  static final String IMAGE_LIST = "[{\"id\":\"sha512-507d06fbe7c591710012fa56a1084d1da0f8afaa"
      + "3d17f8fd9b75d53e04eff223\",\"name\":\"example.com/busybox:1.35.0\",\"import_time\":"
      + "1796397879651515378,\"last_used_time\":1796397879703441775,\"size\":4131537},"
      + "{\"id\":\"" + STAGE1_HOST_ID + "\",\"name\":\"coreos.com/rkt/stage1-host:1.30.0\","
      + "\"import_time\":1796397940740520311,\"last_used_time\":1796397941010733039,"
      + "\"size\":166657548}]\n";
  static final String GROUP_WARNING =
      "add: group \"rkt\" not found, will use default gid when rendering images\n";

  /** The canned result of one subcommand. */
  record Answer(int exitCode, String stdout, String stderr) {}

  Answer version = new Answer(0, VERSION_1_30, "");
  Answer app = new Answer(0, "Usage: rkt app [command]\n", "");
  Answer imageList = new Answer(0, IMAGE_LIST, "");
  final List<List<String>> calls = new ArrayList<>();

  @Override
  public synchronized ProcessResult run(ProcessSpec spec) {
    calls.add(spec.argv());
    String subcommand = RktArgs.subcommandOf(spec.argv());
    Answer answer = switch (subcommand) {
      case "version" -> version;
      case "app" -> "true".equals(spec.environment().get("RKT_EXPERIMENT_APP")) ? app
          : new Answer(254, "", "Error: unknown command \"app\" for \"rkt\"\n");
      case "image list" -> imageList;
      default -> throw new AssertionError("unexpected rkt command " + spec.argv());
    };
    return new ProcessResult(spec.argv(), answer.exitCode(),
        answer.stdout().getBytes(StandardCharsets.UTF_8),
        answer.stderr().getBytes(StandardCharsets.UTF_8), Duration.ofMillis(20), false);
  }
}

package io.rktlet.image;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rktlet.process.ProcessResult;
import io.rktlet.process.ProcessRunner;
import io.rktlet.process.ProcessSpec;
import io.rktlet.rkt.RktCli;
import io.rktlet.rkt.RktCliConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A process runner that plays rkt's image commands ({@code fetch}, {@code image list},
 * {@code image cat-manifest}, {@code image rm}) against an in-memory store, with outputs in the
 * form recorded from rkt 1.30.0. Registries are scripted per docker URL.
 */
final class FakeRkt implements ProcessRunner {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** An image a scripted registry serves: rkt's ID for it, its size and its manifest. */
  record FakeImage(String id, long sizeBytes, String manifestJson) {}

  private record Failure(int exitCode, String stderr, boolean timedOut) {}

  private record Stored(String id, String name, long sizeBytes, String manifestJson) {}

  private final Map<String, FakeImage> served = new HashMap<>();
  private final Map<String, Failure> failures = new HashMap<>();
  private final Map<String, Stored> store = new LinkedHashMap<>();
  private final List<List<String>> calls = new ArrayList<>();
  private final List<String> keptOnRemove = new ArrayList<>();
  private final List<String> lostBeforeList = new ArrayList<>();
  private String imageListError;
  private Consumer<Path> fetchObserver = userConfig -> {};

  /** Returns an adapter that runs this fake as rkt. */
  RktCli cli() {
    RktCliConfig config = new RktCliConfig(Path.of("/usr/bin/rkt"),
        Path.of("/srv/rkt-lab/data"), null, null, Duration.ofSeconds(30));
    return new RktCli(config, this);
  }

  /** Makes {@code rkt fetch URL} succeed with the image. */
  void serve(String dockerUrl, FakeImage image) {
    failures.remove(dockerUrl);
    served.put(dockerUrl, image);
  }

  /** Makes {@code rkt fetch URL} fail as the recorded command failed. */
  void fail(String dockerUrl, RktTranscript recorded) {
    fail(dockerUrl, recorded.exitCode(), recorded.stderr());
  }

  void fail(String dockerUrl, int exitCode, String stderr) {
    served.remove(dockerUrl);
    failures.put(dockerUrl, new Failure(exitCode, stderr, false));
  }

  /** Makes {@code rkt fetch URL} run into its deadline. */
  void timeOut(String dockerUrl) {
    served.remove(dockerUrl);
    failures.put(dockerUrl, new Failure(-1, "", true));
  }

  /** Calls {@code observer} with the {@code --user-config} directory (or null) of each fetch. */
  void onFetch(Consumer<Path> observer) {
    fetchObserver = observer;
  }

  /** Makes {@code rkt image rm} leave this image in the store, still reporting exit 0. */
  void keepOnRemove(String rktImageId) {
    keptOnRemove.add(rktImageId);
  }

  /** Drops the image from the store at the next {@code rkt image list}, as a concurrent rm does. */
  void loseBeforeList(String rktImageId) {
    lostBeforeList.add(rktImageId);
  }

  /** Makes {@code rkt image list} fail with exit code 254 and this stderr. */
  void failImageList(String stderr) {
    imageListError = stderr;
  }

  /** Puts an image into the store as if an earlier fetch had added it. */
  void addToStore(String name, FakeImage image) {
    store.put(image.id(), new Stored(image.id(), name, image.sizeBytes(), image.manifestJson()));
  }

  boolean inStore(String rktImageId) {
    return store.containsKey(rktImageId);
  }

  /** Returns the argument vectors of every command run so far. */
  List<List<String>> calls() {
    return List.copyOf(calls);
  }

  /** Returns the argument vectors of the commands whose subcommand starts with the words. */
  List<List<String>> calls(String... subcommand) {
    List<String> expected = List.of(subcommand);
    return calls.stream()
        .filter(argv -> {
          List<String> words = subcommandOf(argv);
          return words.size() >= expected.size()
              && words.subList(0, expected.size()).equals(expected);
        })
        .toList();
  }

  @Override
  public ProcessResult run(ProcessSpec spec) {
    List<String> argv = spec.argv();
    calls.add(argv);
    List<String> words = subcommandOf(argv);
    if (words.get(0).equals("fetch")) {
      return fetch(argv);
    }
    if (words.size() >= 2 && words.get(0).equals("image")) {
      String last = argv.get(argv.size() - 1);
      switch (words.get(1)) {
        case "list":
          lostBeforeList.forEach(store::remove);
          lostBeforeList.clear();
          return imageListError == null
              ? ok(argv, imageListJson(), "") : result(argv, 254, "", imageListError);
        case "cat-manifest":
          return catManifest(argv, last);
        case "rm":
          return remove(argv, words.subList(2, words.size()));
        default:
          break;
      }
    }
    throw new UnsupportedOperationException("the fake rkt has no command " + words);
  }

  private ProcessResult fetch(List<String> argv) {
    String url = argv.get(argv.size() - 1);
    fetchObserver.accept(flagValue(argv, "user-config"));
    Failure failure = failures.get(url);
    if (failure != null) {
      return new ProcessResult(argv, failure.exitCode(), new byte[0],
          failure.stderr().getBytes(StandardCharsets.UTF_8), Duration.ofMillis(5),
          failure.timedOut());
    }
    FakeImage image = served.get(url);
    if (image == null) {
      // What rkt 1.30.0 prints for a tag or repository the registry does not have.
      return result(argv, 254, "", "fetch: attempted fallback to API v1 but not supported\n");
    }
    store.put(image.id(), new Stored(image.id(), storeName(url), image.sizeBytes(),
        image.manifestJson()));
    return ok(argv, image.id() + "\n", "Downloading sha256:4a707c6e9ff 1.09 MB / 1.09 MB\n");
  }

  private ProcessResult catManifest(List<String> argv, String id) {
    Stored image = store.get(id);
    if (image == null) {
      // Not recorded for cat-manifest; "no image IDs found" is what rkt's image rm prints.
      return result(argv, 254, "", "cat-manifest: no image IDs found\n");
    }
    return ok(argv, image.manifestJson(), "");
  }

  private ProcessResult remove(List<String> argv, List<String> ids) {
    StringBuilder stdout = new StringBuilder();
    int removed = 0;
    for (String id : ids) {
      if (store.containsKey(id) && !keptOnRemove.contains(id)) {
        store.remove(id);
        stdout.append("successfully removed aci for image: \"").append(id).append("\"\n");
        removed++;
      }
    }
    String stderr = removed > 0
        ? "rm: " + removed + " image(s) successfully removed\n" : "rm: no image IDs found\n";
    return ok(argv, stdout.toString(), stderr);
  }

  private String imageListJson() {
    List<Map<String, Object>> images = new ArrayList<>();
    long time = 1796398854649845168L;
    for (Stored image : store.values()) {
      Map<String, Object> entry = new LinkedHashMap<>();
      entry.put("id", image.id());
      entry.put("name", image.name());
      entry.put("import_time", time);
      entry.put("last_used_time", time);
      entry.put("size", image.sizeBytes());
      images.add(entry);
    }
    try {
      return images.isEmpty() ? "null" : JSON.writeValueAsString(images);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Returns rkt's store name for a fetched docker URL, as in "127.0.0.1_5066/busybox:v2". */
  private static String storeName(String dockerUrl) {
    String reference = dockerUrl.substring("docker://".length());
    int slash = reference.indexOf('/');
    String host = reference.substring(0, slash).toLowerCase(Locale.ROOT).replace(':', '_');
    String path = reference.substring(slash + 1);
    int at = path.indexOf('@');
    return host + "/" + (at >= 0 ? path.substring(0, at) : path);
  }

  private static List<String> subcommandOf(List<String> argv) {
    return argv.subList(1, argv.size()).stream()
        .filter(arg -> !arg.startsWith("--"))
        .toList();
  }

  private static Path flagValue(List<String> argv, String flag) {
    String prefix = "--" + flag + "=";
    return argv.stream()
        .filter(arg -> arg.startsWith(prefix))
        .map(arg -> Path.of(arg.substring(prefix.length())))
        .findFirst()
        .orElse(null);
  }

  private static ProcessResult ok(List<String> argv, String stdout, String stderr) {
    return result(argv, 0, stdout, stderr);
  }

  private static ProcessResult result(List<String> argv, int exitCode, String stdout,
      String stderr) {
    return new ProcessResult(argv, exitCode, stdout.getBytes(StandardCharsets.UTF_8),
        stderr.getBytes(StandardCharsets.UTF_8), Duration.ofMillis(5), false);
  }
}

package io.rktlet.fakerkt;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One command recorded from the real rkt v1.30.0, read from the transcripts in the test
 * resources ({@code rkt-transcripts/<file>.jsonl}, one JSON object per line).
 *
 * <p>Replaying a record means running its arguments against the double after substituting the
 * recorded UUIDs, paths and image IDs, and expecting the recorded output with the same
 * substitutions.
 */
record Recorded(String source, List<String> argv, int exitCode, String stdout, String stderr) {
  static final String RECORDED_DATA_DIR = "/srv/rkt-lab/data";

  /** Loads line {@code index} (counted from 0) of {@code rkt-transcripts/<file>.jsonl}. */
  static Recorded load(String file, int index) {
    String resource = "/rkt-transcripts/" + file + ".jsonl";
    try (InputStream stream = Recorded.class.getResourceAsStream(resource)) {
      if (stream == null) {
        throw new IllegalArgumentException("missing test resource " + resource);
      }
      BufferedReader reader = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8));
      List<String> lines = reader.lines().toList();
      JsonNode node = FakeRkt.JSON.readTree(lines.get(index));
      List<String> argv = new ArrayList<>();
      node.get("argv").forEach(arg -> argv.add(arg.asText()));
      return new Recorded(file + ".jsonl:" + index, argv, node.get("exit_code").asInt(),
          node.get("stdout").asText(), node.get("stderr").asText());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Returns the rkt arguments without the program and the recorded --dir flag, substituted. */
  List<String> args(Map<String, String> substitutions) {
    List<String> args = new ArrayList<>();
    for (String arg : argv.subList(1, argv.size())) {
      if (!arg.equals("--dir=" + RECORDED_DATA_DIR)) {
        args.add(substitute(arg, substitutions));
      }
    }
    return args;
  }

  String stdout(Map<String, String> substitutions) {
    return substitute(stdout, substitutions);
  }

  String stderr(Map<String, String> substitutions) {
    return substitute(stderr, substitutions);
  }

  static String substitute(String text, Map<String, String> substitutions) {
    String result = text;
    for (Map.Entry<String, String> entry : substitutions.entrySet()) {
      result = result.replace(entry.getKey(), entry.getValue());
    }
    return result;
  }

  /** Builds an ordered substitution map from pairs: recorded text, replacement, ... */
  static Map<String, String> subst(String... pairs) {
    Map<String, String> map = new LinkedHashMap<>();
    for (int i = 0; i + 1 < pairs.length; i += 2) {
      map.put(pairs[i], pairs[i + 1]);
    }
    return map;
  }
}

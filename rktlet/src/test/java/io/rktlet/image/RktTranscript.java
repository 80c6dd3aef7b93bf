package io.rktlet.image;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Commands recorded from the real rkt 1.30.0, loaded from the test resources. */
record RktTranscript(
    @JsonProperty("argv") List<String> argv,
    @JsonProperty("exit_code") int exitCode,
    @JsonProperty("stdout") String stdout,
    @JsonProperty("stderr") String stderr,
    @JsonProperty("note") String note) {

  private static final ObjectMapper JSON =
      new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  /** Returns the recorded command of {@code file} whose note starts with {@code noteStart}. */
  static RktTranscript find(String file, String noteStart) {
    List<RktTranscript> matches = load(file).stream()
        .filter(entry -> entry.note().startsWith(noteStart))
        .toList();
    if (matches.size() != 1) {
      throw new IllegalArgumentException(matches.size() + " recorded commands in " + file
          + " have a note starting with \"" + noteStart + "\"; expected exactly one");
    }
    return matches.get(0);
  }

  static List<RktTranscript> load(String file) {
    String resource = "/rkt-transcripts/" + file;
    try (InputStream stream = RktTranscript.class.getResourceAsStream(resource)) {
      if (stream == null) {
        throw new IllegalArgumentException("missing test resource " + resource);
      }
      BufferedReader reader =
          new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8));
      return reader.lines()
          .filter(line -> !line.isBlank())
          .map(RktTranscript::parse)
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static RktTranscript parse(String line) {
    try {
      return JSON.readValue(line, RktTranscript.class);
    } catch (IOException e) {
      throw new UncheckedIOException("invalid transcript line: " + line, e);
    }
  }

  /** Returns the image ID that a recorded {@code rkt fetch} printed. */
  String fetchedImageId() {
    return stdout.strip();
  }
}

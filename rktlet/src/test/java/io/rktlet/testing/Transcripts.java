package io.rktlet.testing;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Commands recorded from the real rkt 1.30.0, one JSON object per line in the test resources
 * under {@code rkt-transcripts/}. Tests use their outputs verbatim.
 */
public final class Transcripts {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  /** One recorded command; a negative exit code means the process was killed by that signal. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Entry(
      @JsonProperty("argv") List<String> argv,
      @JsonProperty("env") Map<String, String> env,
      @JsonProperty("exit_code") Object exitCode,
      @JsonProperty("stdout") String stdout,
      @JsonProperty("stderr") String stderr,
      @JsonProperty("elapsed_ms") long elapsedMillis,
      @JsonProperty("note") String note) {}

  private Transcripts() {}

  public static List<Entry> load(String file) {
    String resource = "/rkt-transcripts/" + file;
    List<Entry> entries = new ArrayList<>();
    try (InputStream stream = Transcripts.class.getResourceAsStream(resource)) {
      if (stream == null) {
        throw new IllegalArgumentException("no transcript resource " + resource);
      }
      BufferedReader reader =
          new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8));
      String line;
      while ((line = reader.readLine()) != null) {
        if (!line.isBlank()) {
          entries.add(MAPPER.readValue(line, Entry.class));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return entries;
  }

  /** Returns the first entry of the file whose note contains {@code noteFragment}. */
  public static Entry find(String file, String noteFragment) {
    return load(file).stream()
        .filter(entry -> entry.note() != null && entry.note().contains(noteFragment))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException(
            "no entry in " + file + " with a note containing \"" + noteFragment + "\""));
  }
}

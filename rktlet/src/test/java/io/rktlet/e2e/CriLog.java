package io.rktlet.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Reads a CRI log file as the kubelet does: one record per line, {@code <RFC 3339 time with 9
 * fraction digits> <stdout|stderr> <P|F> <text>}, where {@code P} records are parts of a line
 * that continues in the next record of the same stream.
 */
final class CriLog {
  private static final Pattern TIMESTAMP =
      Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{9}Z");

  /** One record of the file. */
  record Record(String time, String stream, String tag, String text) {}

  private CriLog() {}

  /**
   * Returns the file's complete records, in file order. A last record without its newline is
   * still being written and is left out; a missing file has no records.
   *
   * @throws IllegalStateException for a line that is not a CRI log record
   */
  static List<Record> records(Path file) throws IOException {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      return List.of();
    }
    String text = new String(bytes, StandardCharsets.UTF_8);
    int end = text.lastIndexOf('\n');
    List<Record> records = new ArrayList<>();
    if (end < 0) {
      return records;
    }
    for (String line : text.substring(0, end).split("\n", -1)) {
      records.add(parse(file, line));
    }
    return records;
  }

  /**
   * Returns the full lines of one stream: the text of each {@code F} record, with the texts of
   * the {@code P} records before it in front.
   */
  static List<String> lines(List<Record> records, String stream) {
    List<String> lines = new ArrayList<>();
    StringBuilder partial = new StringBuilder();
    for (Record record : records) {
      if (!record.stream().equals(stream)) {
        continue;
      }
      partial.append(record.text());
      if (record.tag().equals("F")) {
        lines.add(partial.toString());
        partial.setLength(0);
      }
    }
    return lines;
  }

  /** Returns the full lines of one stream in the file. */
  static List<String> lines(Path file, String stream) throws IOException {
    return lines(records(file), stream);
  }

  private static Record parse(Path file, String line) {
    String[] fields = line.split(" ", 4);
    if (fields.length < 4 || !TIMESTAMP.matcher(fields[0]).matches()
        || !(fields[1].equals("stdout") || fields[1].equals("stderr"))
        || !(fields[2].equals("P") || fields[2].equals("F"))) {
      throw new IllegalStateException("invalid CRI log record in " + file + ": \"" + line
          + "\"");
    }
    return new Record(fields[0], fields[1], fields[2], fields[3]);
  }
}

package io.rktlet.supervisor;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One record of a CRI log file: {@code <time> <stream> <P|F> <text>}. */
record LogRecord(Instant time, String stream, char tag, String text) {
  /** The format as the kubelet parses it, with the supervisor's fixed 9 fraction digits. */
  static final Pattern FORMAT = Pattern.compile(
      "(\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{9}Z) (stdout|stderr) ([PF]) (.*)", Pattern.DOTALL);

  static LogRecord parse(String line) {
    Matcher matcher = FORMAT.matcher(line);
    if (!matcher.matches()) {
      throw new AssertionError("not a CRI log record: \"" + line + "\"");
    }
    return new LogRecord(Instant.parse(matcher.group(1)), matcher.group(2), matcher.group(3).charAt(0),
        matcher.group(4));
  }

  /** Reads every record of a log file (none when it does not exist); records end with '\n' only. */
  static List<LogRecord> readAll(Path file) {
    String content = readContent(file);
    if (!content.isEmpty() && !content.endsWith("\n")) {
      throw new AssertionError("log file " + file + " ends inside a record");
    }
    return parseRecords(content);
  }

  /**
   * Reads the complete records of a log file that may be growing: a reader can see the first
   * part of a record whose write is still in progress, so text after the last '\n' is skipped.
   */
  static List<LogRecord> readComplete(Path file) {
    String content = readContent(file);
    return parseRecords(content.substring(0, content.lastIndexOf('\n') + 1));
  }

  private static String readContent(Path file) {
    try {
      return Files.readString(file, UTF_8);
    } catch (NoSuchFileException e) {
      return "";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static List<LogRecord> parseRecords(String content) {
    List<LogRecord> records = new ArrayList<>();
    for (String line : content.split("\n", -1)) {
      if (!line.isEmpty()) {
        records.add(parse(line));
      }
    }
    return records;
  }

  /** Joins the P records of each line with its F record and returns the lines of one stream. */
  static List<String> lines(List<LogRecord> records, String stream) {
    List<String> lines = new ArrayList<>();
    StringBuilder partial = new StringBuilder();
    for (LogRecord record : records) {
      if (!record.stream().equals(stream)) {
        continue;
      }
      partial.append(record.text());
      if (record.tag() == 'F') {
        lines.add(partial.toString());
        partial.setLength(0);
      }
    }
    if (partial.length() > 0) {
      throw new AssertionError("stream " + stream + " ends with P records and no F record");
    }
    return lines;
  }
}

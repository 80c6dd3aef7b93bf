package io.rktlet.check;

/**
 * The outcome of one host check, printed as one line.
 *
 * @param status whether the check passed
 * @param name short name of what was checked, such as {@code rkt-binary}
 * @param finding what the check found, without a final period
 * @param remedy what the operator can do about a warning or failure, empty when nothing
 */
public record CheckResult(Status status, String name, String finding, String remedy) {

  /** Width of the name column, which fits {@code stage1 } plus a short handler name. */
  static final int NAME_WIDTH = 18;

  /** Whether a check passed; only {@link #FAIL} makes {@code rktlet check} exit non-zero. */
  public enum Status {
    OK("ok"),
    WARN("warn"),
    FAIL("FAIL");

    private final String label;

    Status(String label) {
      this.label = label;
    }

    public String label() {
      return label;
    }
  }

  static CheckResult ok(String name, String finding) {
    return new CheckResult(Status.OK, name, finding, "");
  }

  static CheckResult warn(String name, String finding, String remedy) {
    return new CheckResult(Status.WARN, name, finding, remedy);
  }

  static CheckResult fail(String name, String finding, String remedy) {
    return new CheckResult(Status.FAIL, name, finding, remedy);
  }

  /** Formats the result as {@code STATUS NAME FINDING[. Fix: REMEDY]}. */
  public String line() {
    String text = String.format("%-4s  %-" + NAME_WIDTH + "s %s", status.label(), name, finding);
    return remedy.isEmpty() ? text : text + ". Fix: " + remedy;
  }
}

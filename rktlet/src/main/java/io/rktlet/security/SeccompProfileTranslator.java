package io.rktlet.security;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rktlet.errors.CriException;
import io.rktlet.validation.Check;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Translates a Localhost seccomp profile into one of the two filters rkt can express.
 *
 * <ul>
 *   <li>{@code defaultAction} ALLOW or LOG with ERRNO rules becomes a deny list.
 *   <li>{@code defaultAction} ERRNO with ALLOW or LOG rules becomes an allow list whose denied
 *       calls fail with {@code defaultErrnoRet}.
 * </ul>
 *
 * <p>A missing {@code errnoRet} or {@code defaultErrnoRet} means EPERM, as in runc. Docker's
 * {@code includes} and {@code excludes} are evaluated against the container's capabilities
 * and the host. Rules that repeat the default action change nothing and are accepted. LOG is
 * treated as ALLOW, without the kernel's log entry.
 *
 * <p>clone3 gets the verdict of clone when the profile has no rule for it or makes it fail
 * with ENOSYS (Docker's way of making glibc fall back to clone): rkt cannot give clone3 alone
 * its own errno, and without argument filters clone3 grants nothing that clone does not. Any
 * other explicit clone3 rule is kept.
 *
 * <p>Anything else rkt cannot express is rejected with the reason: argument conditions, KILL,
 * TRAP, TRACE and NOTIFY actions, different errnos for denied calls, and a user-space
 * notification listener.
 */
final class SeccompProfileTranslator {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern SYSCALL_NAME = Pattern.compile("[a-z_][a-z0-9_]*");
  private static final Set<String> HARMLESS_FLAGS =
      Set.of("SECCOMP_FILTER_FLAG_TSYNC", "SECCOMP_FILTER_FLAG_LOG");

  /** Seccomp actions of the profile format, without the {@code SCMP_ACT_} prefix. */
  enum Action {
    ALLOW, LOG, ERRNO, KILL, KILL_PROCESS, KILL_THREAD, TRAP, TRACE, NOTIFY;

    boolean allows() {
      return this == ALLOW || this == LOG;
    }
  }

  /** The outcome a profile gives one system call: an action and, for ERRNO, its errno. */
  private record Verdict(Action action, String errno) {}

  private final HostPlatform platform;

  SeccompProfileTranslator(HostPlatform platform) {
    this.platform = platform;
  }

  /**
   * Translates the profile text.
   *
   * @param field request field that named the profile, for error messages
   * @param reference the profile's path as the request gave it, for error messages
   * @throws CriException INVALID_ARGUMENT when the text is no profile or rkt cannot express it
   */
  SeccompFilter translate(String json, Set<Capability> capabilities, String field,
      String reference) {
    SeccompProfileJson profile;
    try {
      profile = JSON.readValue(json, SeccompProfileJson.class);
    } catch (JsonProcessingException e) {
      throw Check.invalid(field, reference, "not a seccomp profile: "
          + e.getOriginalMessage());
    }
    if (profile == null || profile.defaultAction() == null) {
      throw Check.invalid(field, reference, "the seccomp profile has no defaultAction");
    }
    checkFlags(profile, field, reference);
    Map<String, Verdict> verdicts = verdicts(profile, capabilities, field, reference);
    Action defaultAction = action(profile.defaultAction(), "defaultAction", field, reference);
    if (defaultAction.allows()) {
      return denyList(verdicts, field, reference);
    }
    if (defaultAction == Action.ERRNO) {
      return allowList(verdicts, errnoName(profile.defaultErrnoRet(), field, reference), field,
          reference);
    }
    throw Check.invalid(field, reference, "defaultAction SCMP_ACT_" + defaultAction
        + " cannot be expressed by rkt, which can only make denied calls fail with an errno");
  }

  private void checkFlags(SeccompProfileJson profile, String field, String reference) {
    if (profile.listenerPath() != null && !profile.listenerPath().isEmpty()) {
      throw Check.invalid(field, reference,
          "listenerPath (seccomp user notification) is not supported by rkt");
    }
    for (String flag : profile.flags()) {
      if (!HARMLESS_FLAGS.contains(flag)) {
        throw Check.invalid(field, reference, "flag " + flag + " is not supported by rkt");
      }
    }
  }

  private Map<String, Verdict> verdicts(SeccompProfileJson profile,
      Set<Capability> capabilities, String field, String reference) {
    Map<String, Verdict> verdicts = new LinkedHashMap<>();
    List<SeccompProfileJson.Rule> rules = profile.syscalls();
    for (int i = 0; i < rules.size(); i++) {
      SeccompProfileJson.Rule rule = rules.get(i);
      String ruleField = "syscalls[" + i + "]";
      if (!applies(rule, capabilities, field, reference)) {
        continue;
      }
      Action action = action(rule.action(), ruleField + ".action", field, reference);
      if (!rule.args().isEmpty()) {
        throw Check.invalid(field, reference, ruleField + " " + rule.allNames()
            + " has argument conditions (args), which rkt cannot express");
      }
      String errno = action == Action.ERRNO
          ? errnoName(rule.errnoRet(), field, reference) : null;
      Verdict verdict = new Verdict(action, errno);
      for (String name : rule.allNames()) {
        if (!SYSCALL_NAME.matcher(name).matches()) {
          throw Check.invalid(field, reference, ruleField + " names an invalid system call "
              + Check.quote(name));
        }
        Verdict earlier = verdicts.putIfAbsent(name, verdict);
        if (earlier != null && !earlier.equals(verdict)) {
          throw Check.invalid(field, reference, "system call " + name
              + " has conflicting rules (" + describe(earlier) + " and " + describe(verdict)
              + ")");
        }
      }
    }
    return verdicts;
  }

  private boolean applies(SeccompProfileJson.Rule rule, Set<Capability> capabilities,
      String field, String reference) {
    SeccompProfileJson.Condition includes = rule.includes();
    SeccompProfileJson.Condition excludes = rule.excludes();
    if (includes != null) {
      if (!capabilities.containsAll(parseCaps(includes.caps(), field, reference))
          || (!includes.arches().isEmpty() && !includes.arches().contains(platform.arch()))
          || (includes.minKernel() != null && !kernelAtLeast(includes.minKernel(), field,
              reference))) {
        return false;
      }
    }
    if (excludes != null) {
      Set<Capability> excluded = parseCaps(excludes.caps(), field, reference);
      return excluded.stream().noneMatch(capabilities::contains)
          && !excludes.arches().contains(platform.arch())
          && (excludes.minKernel() == null || !kernelAtLeast(excludes.minKernel(), field,
              reference));
    }
    return true;
  }

  private SeccompFilter denyList(Map<String, Verdict> verdicts, String field,
      String reference) {
    Set<String> denied = new TreeSet<>();
    Set<String> errnos = new TreeSet<>();
    for (Map.Entry<String, Verdict> entry : verdicts.entrySet()) {
      Verdict verdict = entry.getValue();
      if (verdict.action().allows() || isClone3FallBack(entry.getKey(), verdict)) {
        continue;
      }
      if (verdict.action() != Action.ERRNO) {
        throw unsupportedAction(entry.getKey(), verdict, field, reference);
      }
      denied.add(entry.getKey());
      errnos.add(verdict.errno());
    }
    if (errnos.size() > 1) {
      throw Check.invalid(field, reference, "denied calls fail with different errnos " + errnos
          + ", but rkt applies one errno to every denied call");
    }
    followClone(denied, verdicts);
    return SeccompFilter.remove(denied, errnos.isEmpty() ? Errnos.EPERM : errnos.iterator().next());
  }

  private SeccompFilter allowList(Map<String, Verdict> verdicts, String defaultErrno,
      String field, String reference) {
    Set<String> allowed = new TreeSet<>();
    for (Map.Entry<String, Verdict> entry : verdicts.entrySet()) {
      Verdict verdict = entry.getValue();
      if (verdict.action().allows()) {
        allowed.add(entry.getKey());
      } else if (verdict.action() == Action.ERRNO) {
        if (!verdict.errno().equals(defaultErrno) && !isClone3FallBack(entry.getKey(), verdict)) {
          throw Check.invalid(field, reference, "system call " + entry.getKey() + " fails with "
              + verdict.errno() + " but other denied calls with " + defaultErrno
              + ", and rkt applies one errno to every denied call");
        }
      } else {
        throw unsupportedAction(entry.getKey(), verdict, field, reference);
      }
    }
    if (allowed.isEmpty()) {
      throw Check.invalid(field, reference, "the seccomp profile allows no system call");
    }
    followClone(allowed, verdicts);
    return SeccompFilter.retain(allowed, defaultErrno);
  }

  /** Docker's idiom for clone3: fail with ENOSYS so that glibc uses clone instead. */
  private static boolean isClone3FallBack(String syscall, Verdict verdict) {
    return syscall.equals("clone3") && verdict.action() == Action.ERRNO
        && verdict.errno().equals(Errnos.name(Errnos.ENOSYS_NUMBER).orElseThrow());
  }

  /**
   * Gives clone3 the verdict of clone, unless the profile gives clone3 a verdict of its own
   * other than the ENOSYS fall-back.
   */
  private static void followClone(Set<String> listed, Map<String, Verdict> verdicts) {
    Verdict clone3 = verdicts.get("clone3");
    if (clone3 != null && !isClone3FallBack("clone3", clone3)) {
      return;
    }
    if (listed.contains("clone")) {
      listed.add("clone3");
    } else {
      listed.remove("clone3");
    }
  }

  private static CriException unsupportedAction(String syscall, Verdict verdict, String field,
      String reference) {
    return Check.invalid(field, reference, "system call " + syscall + " has action SCMP_ACT_"
        + verdict.action() + ", which rkt cannot express: it can only allow a call or make it"
        + " fail with an errno");
  }

  private static Action action(String name, String where, String field, String reference) {
    String prefix = "SCMP_ACT_";
    if (name != null && name.startsWith(prefix)) {
      for (Action action : Action.values()) {
        if (action.name().equals(name.substring(prefix.length()))) {
          return action;
        }
      }
    }
    throw Check.invalid(field, reference, where + " " + Check.quote(name)
        + " is not a seccomp action such as SCMP_ACT_ALLOW or SCMP_ACT_ERRNO");
  }

  private static String errnoName(Integer number, String field, String reference) {
    int errno = number == null ? 1 : number;
    return Errnos.name(errno).orElseThrow(() -> Check.invalid(field, reference,
        "errno " + errno + " has no name that rkt accepts"));
  }

  private static Set<Capability> parseCaps(List<String> names, String field, String reference) {
    Set<Capability> caps = EnumSet.noneOf(Capability.class);
    for (String name : names) {
      caps.add(Capability.parse(name).orElseThrow(() -> Check.invalid(field, reference,
          "the seccomp profile names an unknown capability " + name)));
    }
    return caps;
  }

  private boolean kernelAtLeast(String minimum, String field, String reference) {
    try {
      return platform.kernelAtLeast(minimum);
    } catch (IllegalArgumentException e) {
      throw Check.invalid(field, reference, e.getMessage());
    }
  }

  private static String describe(Verdict verdict) {
    return "SCMP_ACT_" + verdict.action() + (verdict.errno() == null ? "" : " " + verdict.errno());
  }
}

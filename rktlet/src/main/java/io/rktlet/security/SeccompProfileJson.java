package io.rktlet.security;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * A seccomp profile file in the format Docker, containerd, CRI-O and the kubelet's Localhost
 * profiles use (the OCI runtime spec's {@code linux.seccomp} plus Docker's {@code names},
 * {@code includes} and {@code excludes}). Fields that do not change which calls are allowed,
 * such as {@code comment} and {@code archMap}, are ignored.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
record SeccompProfileJson(
    @JsonProperty("defaultAction") String defaultAction,
    @JsonProperty("defaultErrnoRet") Integer defaultErrnoRet,
    @JsonProperty("architectures") List<String> architectures,
    @JsonProperty("flags") List<String> flags,
    @JsonProperty("listenerPath") String listenerPath,
    @JsonProperty("syscalls") List<Rule> syscalls) {

  SeccompProfileJson {
    architectures = architectures == null ? List.of() : List.copyOf(architectures);
    flags = flags == null ? List.of() : List.copyOf(flags);
    syscalls = syscalls == null ? List.of() : List.copyOf(syscalls);
  }

  /**
   * One rule: an action for some system calls, possibly limited by argument conditions or, in
   * Docker's format, by capabilities, architectures and kernel version.
   *
   * @param name the single system call of the old Docker format, or null
   */
  @JsonIgnoreProperties(ignoreUnknown = true)
  record Rule(
      @JsonProperty("names") List<String> names,
      @JsonProperty("name") String name,
      @JsonProperty("action") String action,
      @JsonProperty("errnoRet") Integer errnoRet,
      @JsonProperty("args") List<JsonNode> args,
      @JsonProperty("includes") Condition includes,
      @JsonProperty("excludes") Condition excludes) {

    Rule {
      names = names == null ? List.of() : List.copyOf(names);
      args = args == null ? List.of() : List.copyOf(args);
    }

    /** Returns the rule's system calls from {@code names} and the old {@code name}. */
    List<String> allNames() {
      List<String> all = new ArrayList<>(names);
      if (name != null && !name.isEmpty()) {
        all.add(name);
      }
      return all;
    }
  }

  /** Docker's rule conditions: capabilities, architectures and a minimum kernel version. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  record Condition(
      @JsonProperty("caps") List<String> caps,
      @JsonProperty("arches") List<String> arches,
      @JsonProperty("minKernel") String minKernel) {

    Condition {
      caps = caps == null ? List.of() : List.copyOf(caps);
      arches = arches == null ? List.of() : List.copyOf(arches);
    }
  }
}

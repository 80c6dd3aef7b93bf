package io.rktlet.rkt;

import java.util.List;

/** Builds the arguments of {@code rkt app sandbox} from a {@link SandboxSpec}. */
final class SandboxArgs {
  private SandboxArgs() {}

  static List<String> build(RktArgs args, SandboxSpec spec) {
    args.words("app", "sandbox").flag("uuid-file-save", spec.uuidFile().toString());
    if (spec.stage1() != null) {
      args.flag(spec.stage1().kind().flag(), spec.stage1().value());
    }
    if (!spec.networks().isEmpty()) {
      args.flag("net", String.join(",", spec.networks()));
    }
    args.optionalFlag("hostname", spec.hostname());
    spec.dnsServers().forEach(server -> args.flag("dns", server));
    spec.dnsSearches().forEach(domain -> args.flag("dns-search", domain));
    spec.dnsOptions().forEach(option -> args.flag("dns-opt", option));
    spec.hostsEntries().forEach(entry -> args.flag("hosts-entry", entry));
    spec.ports().forEach(port -> args.flag("port", port));
    AppArgs.keyValues(args, "annotation", spec.annotations());
    AppArgs.keyValues(args, "user-annotation", spec.userAnnotations());
    AppArgs.keyValues(args, "user-label", spec.userLabels());
    return args.build();
  }
}

package io.rktlet.rkt;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Flags of {@code rkt app sandbox}.
 *
 * @param uuidFile file rkt writes the new pod's UUID to
 * @param networks CNI network names, or {@code ["host"]} for the host's network namespace
 * @param hostname the pod's hostname, or null for rkt's default
 * @param dnsServers name servers; rktlet always gives at least one, because without
 *     {@code --dns} rkt writes no {@code /etc/resolv.conf} into the apps
 * @param ports {@code NAME:PROTO:PODPORT:HOSTIP:HOSTPORT} entries
 * @param stage1 how to select the stage1 image, or null for rkt's default
 */
public record SandboxSpec(
    Path uuidFile,
    List<String> networks,
    String hostname,
    List<String> dnsServers,
    List<String> dnsSearches,
    List<String> dnsOptions,
    List<String> hostsEntries,
    List<String> ports,
    Map<String, String> annotations,
    Map<String, String> userAnnotations,
    Map<String, String> userLabels,
    Stage1 stage1) {

  /** A stage1 image selected by one of rkt's {@code --stage1-*} flags. */
  public record Stage1(Kind kind, String value) {

    /** The flag that selects the image. */
    public enum Kind {
      NAME("stage1-name"),
      PATH("stage1-path"),
      URL("stage1-url"),
      HASH("stage1-hash"),
      FROM_DIR("stage1-from-dir");

      private final String flag;

      Kind(String flag) {
        this.flag = flag;
      }

      public String flag() {
        return flag;
      }
    }
  }
}

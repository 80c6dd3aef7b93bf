package io.rktlet.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.rktlet.cri.v1.RuntimeCondition;
import io.rktlet.cri.v1.StatusRequest;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;

/** The gRPC health service and CRI Status follow whether rkt is usable. */
class RuntimeHealthIT {
  @TempDir
  Path dir;

  @Test
  void usableRktServes(TestInfo test) throws Exception {
    try (RktletProcess rktlet = new RktletProcess("RuntimeHealthIT-usable", dir, List.of(),
        Map.of()).start(); CriClient cri = new CriClient(rktlet.socket())) {
      assertThat(health(cri, "")).isEqualTo(ServingStatus.SERVING);
      assertThat(health(cri, "runtime.v1.RuntimeService")).isEqualTo(ServingStatus.SERVING);
      assertThat(condition(cri, "RuntimeReady").getStatus()).isTrue();
    }
  }

  @Test
  void missingRktIsReportedNotFatal() throws Exception {
    Path missing = dir.resolve("no/such/rkt");
    try (RktletProcess rktlet = new RktletProcess("RuntimeHealthIT-missing", dir,
        List.of("--rkt=" + missing), Map.of()).start();
        CriClient cri = new CriClient(rktlet.socket())) {
      RuntimeCondition ready = condition(cri, "RuntimeReady");

      assertThat(ready.getStatus()).isFalse();
      assertThat(ready.getReason()).isEqualTo("RktBinaryNotFound");
      assertThat(ready.getMessage()).contains("rkt binary not found at " + missing);
      assertThat(condition(cri, "NetworkReady").getStatus()).isTrue();
      assertThat(health(cri, "runtime.v1.RuntimeService"))
          .isEqualTo(ServingStatus.NOT_SERVING);
    }
  }

  private static ServingStatus health(CriClient cri, String service) {
    return HealthGrpc.newBlockingStub(cri.channel())
        .check(HealthCheckRequest.newBuilder().setService(service).build()).getStatus();
  }

  private static RuntimeCondition condition(CriClient cri, String type) {
    return cri.runtime().status(StatusRequest.getDefaultInstance()).getStatus()
        .getConditionsList().stream()
        .filter(condition -> condition.getType().equals(type))
        .findFirst()
        .orElseThrow();
  }
}

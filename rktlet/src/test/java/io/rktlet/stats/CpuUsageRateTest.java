package io.rktlet.stats;

import static org.assertj.core.api.Assertions.assertThat;

import io.rktlet.cri.v1.CpuUsage;
import io.rktlet.cri.v1.UInt64Value;
import org.junit.jupiter.api.Test;

class CpuUsageRateTest {
  private final CpuUsageRate rate = new CpuUsageRate();

  @Test
  void firstSampleHasNoRate() {
    assertThat(rate.withRate("c1", sample(1_000_000_000L, 5_000_000L)).hasUsageNanoCores())
        .isFalse();
  }

  @Test
  void halfACoreOverHalfASecond() {
    rate.withRate("c1", sample(1_000_000_000L, 5_000_000L));

    CpuUsage second = rate.withRate("c1", sample(1_500_000_000L, 255_000_000L));

    assertThat(second.getUsageNanoCores().getValue()).isEqualTo(500_000_000L);
  }

  @Test
  void keysAreSeparate() {
    rate.withRate("c1", sample(1_000_000_000L, 0));

    assertThat(rate.withRate("c2", sample(2_000_000_000L, 1_000_000_000L)).hasUsageNanoCores())
        .isFalse();
  }

  @Test
  void counterResetGivesNoRate() {
    rate.withRate("c1", sample(1_000_000_000L, 900_000_000L));

    assertThat(rate.withRate("c1", sample(2_000_000_000L, 10_000_000L)).hasUsageNanoCores())
        .isFalse();
  }

  @Test
  void forgottenKeyStartsOver() {
    rate.withRate("c1", sample(1_000_000_000L, 0));
    rate.forget("c1");

    assertThat(rate.withRate("c1", sample(2_000_000_000L, 1_000_000L)).hasUsageNanoCores())
        .isFalse();
  }

  private static CpuUsage sample(long timestamp, long usage) {
    return CpuUsage.newBuilder().setTimestamp(timestamp)
        .setUsageCoreNanoSeconds(UInt64Value.newBuilder().setValue(usage)).build();
  }
}

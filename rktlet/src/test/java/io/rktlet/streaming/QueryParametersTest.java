package io.rktlet.streaming;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.handler.codec.http.QueryStringDecoder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class QueryParametersTest {
  private static final CommandRequest EXEC = new CommandRequest(StreamKind.EXEC, "c",
      List.of("sh"), false, false, true, true);

  @Test
  void noFlagsKeepRequest() {
    assertThat(QueryParameters.applyStreamFlags(EXEC, query("?command=ls"))).isEqualTo(EXEC);
  }

  @Test
  void flagsReplaceRequestStreams() {
    CommandRequest flagged =
        QueryParameters.applyStreamFlags(EXEC, query("?command=ls&input=1&output=1&tty=1"));

    assertThat(flagged.stdin()).isTrue();
    assertThat(flagged.stdout()).isTrue();
    assertThat(flagged.stderr()).isFalse();
    assertThat(flagged.tty()).isTrue();
    assertThat(flagged.command()).containsExactly("sh");
  }

  @Test
  void ttyDropsStderr() {
    CommandRequest flagged =
        QueryParameters.applyStreamFlags(EXEC, query("?output=1&error=1&tty=1"));

    assertThat(flagged.stderr()).isFalse();
  }

  @Test
  void flagsWithoutStreamsAreRejected() {
    assertThatThrownBy(() -> QueryParameters.applyStreamFlags(EXEC, query("?tty=1")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("select no stream");
  }

  @Test
  void portsFromRepeatedAndListedParameters() {
    PortForwardTarget target = new PortForwardTarget("s", List.of(22));

    assertThat(QueryParameters.ports(target, query("?port=80&port=8080,9090")))
        .containsExactly(80, 8080, 9090);
    assertThat(QueryParameters.ports(target, query(""))).containsExactly(22);
  }

  @Test
  void invalidPortsAreRejected() {
    PortForwardTarget target = new PortForwardTarget("s", List.of());

    assertThatThrownBy(() -> QueryParameters.ports(target, query("?port=0")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("port=0");
    assertThatThrownBy(() -> QueryParameters.ports(target, query("?port=80,")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> QueryParameters.ports(target, query("")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("is required");
  }

  private static Map<String, List<String>> query(String query) {
    return new QueryStringDecoder("/exec/token" + query).parameters();
  }
}

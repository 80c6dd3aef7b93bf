package io.rktlet.streaming;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.Status;
import io.rktlet.errors.CriException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TokenCacheTest {
  private final MutableClock clock = new MutableClock();
  private final TokenCache<String> cache =
      new TokenCache<>(clock, Duration.ofMinutes(1), 3, new SecureRandom());

  @Test
  void tokensAreUrlSafeAndDistinct() {
    Set<String> tokens = new HashSet<>();
    for (int i = 0; i < 3; i++) {
      tokens.add(cache.insert("request " + i));
    }

    assertThat(tokens).hasSize(3);
    // 32 bytes in base64 without padding are 43 characters.
    assertThat(tokens).allSatisfy(token -> assertThat(token).matches("[A-Za-z0-9_-]{43}"));
  }

  @Test
  void tokenIsConsumedOnce() {
    String token = cache.insert("exec");

    assertThat(cache.consume(token)).contains("exec");
    assertThat(cache.consume(token)).isEmpty();
    assertThat(cache.size()).isZero();
  }

  @Test
  void tokenExpiresAtTtl() {
    String early = cache.insert("early");
    String late = cache.insert("late");

    clock.advance(Duration.ofSeconds(59));
    assertThat(cache.consume(early)).contains("early");
    clock.advance(Duration.ofSeconds(1));

    assertThat(cache.consume(late)).isEmpty();
  }

  @Test
  void unknownTokenIsEmpty() {
    assertThat(cache.consume("not-a-token")).isEmpty();
  }

  @Test
  void fullCacheRejectsUntilTokensExpire() {
    cache.insert("a");
    cache.insert("b");
    cache.insert("c");

    assertThatThrownBy(() -> cache.insert("d"))
        .isInstanceOfSatisfying(CriException.class,
            error -> assertThat(error.code()).isEqualTo(Status.Code.UNAVAILABLE))
        .hasMessageContaining("maximum 3");

    clock.advance(Duration.ofMinutes(1));
    String token = cache.insert("d");
    assertThat(cache.size()).isEqualTo(1);
    assertThat(cache.consume(token)).contains("d");
  }
}

package io.rktlet.container;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AppNamesTest {
  private static final String ID =
      "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

  @ParameterizedTest(name = "{0}")
  @CsvSource({
      "plain name,                    web,               web-0123456789ab",
      "uppercase folded,             FooBar,            foobar-0123456789ab",
      "underscores and dots,         my_app.v2,         my-app-v2-0123456789ab",
      "leading and trailing symbols, --x--,             x-0123456789ab",
      "nothing usable left,          ___,               c-0123456789ab",
      "long name cut at 40,          aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa,"
          + " aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa-0123456789ab",
  })
  void derivesAcName(String description, String name, String expected) {
    assertThat(AppNames.derive(name, ID)).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"web", "FooBar", "a.b", "x_", "-", "ÄÖÜ"})
  void resultIsAlwaysAValidAcName(String name) {
    assertThat(AppNames.derive(name, ID)).matches("[a-z0-9]([a-z0-9-]*[a-z0-9])?");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"FooBar, foobar"})
  void namesDifferingInCaseStayApartThroughTheId(String first, String second) {
    String otherId = "f" + ID.substring(1);

    assertThat(AppNames.derive(first, ID)).isNotEqualTo(AppNames.derive(second, otherId));
  }
}

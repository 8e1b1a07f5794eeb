package dev.pitcrew.web.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class HtmlTest {
  @Test
  void escapesMarkupAndQuotesInLogText() {
    assertThat(Html.text("<img src=x onerror='alert(1)'> & \"q\""))
        .isEqualTo("&lt;img src=x onerror=&#39;alert(1)&#39;&gt; &amp; &quot;q&quot;");
  }

  @Test
  void replacesControlCharactersButKeepsTabs() {
    assertThat(Html.text("a\u001b[31mb\u0000c\td")).isEqualTo("a\uFFFD[31mb\uFFFDc\td");
  }

  @Test
  void neverMakesAJavascriptUrlClickable() {
    assertThat(Html.link(Optional.of("javascript:alert(1)"), "open"))
        .isEqualTo("javascript:alert(1)")
        .doesNotContain("href");
    assertThat(Html.link(Optional.of("https://x.test/a?b=1&c=\"2\""), "open"))
        .isEqualTo(
            "<a href=\"https://x.test/a?b=1&amp;c=&quot;2&quot;\" rel=\"noopener noreferrer\">open</a>");
    assertThat(Html.link(Optional.empty(), "open")).isEqualTo("—");
  }

  @Test
  void jsonCannotCloseItsScriptBlock() {
    assertThat(Html.jsonInScript("{\"a\":\"</script><b>&\"}"))
        .isEqualTo("{\"a\":\"\\u003c/script\\u003e\\u003cb\\u003e\\u0026\"}")
        .doesNotContain("<");
  }

  @Test
  void formatsDurationsWithTwoUnitsAtMost() {
    assertThat(Html.duration(Duration.ofSeconds(40))).isEqualTo("40 s");
    assertThat(Html.duration(Duration.ofMinutes(12))).isEqualTo("12 min");
    assertThat(Html.duration(Duration.ofMinutes(320))).isEqualTo("5 h 20 min");
    assertThat(Html.duration(Duration.ofHours(76))).isEqualTo("3 d 4 h");
  }

  @Test
  void encodesActionIdsInPaths() {
    assertThat(Html.segment("ra-1/../x y\"")).isEqualTo("ra-1%2F..%2Fx%20y%22");
  }

  @Test
  void keepsCssClassesToSafeTokens() {
    assertThat(Layout.cssToken("x\" onmouseover=\"a")).isEqualTo("xonmouseovera");
    assertThat(Layout.cssToken(null)).isEqualTo("none");
  }
}

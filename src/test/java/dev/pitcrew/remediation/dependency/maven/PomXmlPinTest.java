package dev.pitcrew.remediation.dependency.maven;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pitcrew.remediation.dependency.Edit;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class PomXmlPinTest {
  private static String fixture(String path) throws IOException {
    try (InputStream in = PomXmlPinTest.class.getResourceAsStream(path)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void changesOnlyTheVersionTextOfTheDependency() throws Exception {
    String before = fixture("pin-version/before/pom.xml");
    Edit e = PomXmlPin.pin(before, "org.slf4j", "slf4j-api", "2.0.16");
    assertThat(e.after()).isEqualTo(fixture("pin-version/after/pom.xml"));
    assertThat(e.description())
        .isEqualTo("pin org.slf4j:slf4j-api from 2.0.13 to 2.0.16 in pom.xml");
  }

  @Test
  void followsAVersionPropertyAndLeavesThePluginAndTheCommentAlone() throws Exception {
    String before = fixture("pin-version/before/pom.xml");
    Edit e = PomXmlPin.pin(before, "com.google.guava", "guava", "33.3.1-jre");
    assertThat(e.after())
        .isEqualTo(
            before.replace(
                "<guava.version>33.2.0-jre</guava.version>",
                "<guava.version>33.3.1-jre</guava.version>"));
    assertThat(PomXmlPin.version(e.after(), "com.google.guava", "guava")).contains("33.3.1-jre");
  }

  @Test
  void refusesAManagedOrMissingDependency() throws Exception {
    String before = fixture("pin-version/before/pom.xml");
    assertThatThrownBy(() -> PomXmlPin.pin(before, "org.junit.jupiter", "junit-jupiter", "5.11.0"))
        .isInstanceOf(Edit.Refused.class)
        .hasMessageContaining("BOM or parent");
    assertThatThrownBy(() -> PomXmlPin.pin(before, "com.acme", "nothing", "1.0"))
        .isInstanceOf(Edit.Refused.class)
        .hasMessageContaining("not a dependency");
  }
}

package dev.pitcrew.remediation.dependency.maven;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pitcrew.remediation.dependency.Edit;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class PomXmlTest {
  private static String fixture(String path) throws IOException {
    try (InputStream in = PomXmlTest.class.getResourceAsStream(path)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void addsToTheProjectsDependenciesNotManagementOrPlugins() throws Exception {
    String before = fixture("add-to-project-dependencies/before/pom.xml");
    Edit e = PomXml.add(before, "com.google.guava", "guava", "33.2.0-jre");
    assertThat(e.after()).isEqualTo(fixture("add-to-project-dependencies/after/pom.xml"));
  }

  @Test
  void refusesADuplicateAndADoctype() throws Exception {
    String before = fixture("add-to-project-dependencies/before/pom.xml");
    assertThatThrownBy(() -> PomXml.add(before, "org.slf4j", "slf4j-api", "2.0.14"))
        .isInstanceOf(Edit.Refused.class)
        .hasMessageContaining("already");
    String xxe =
        "<?xml version=\"1.0\"?><!DOCTYPE p [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
            + "<project><dependencies>\n</dependencies></project>";
    assertThatThrownBy(() -> PomXml.add(xxe, "a", "b", "1"))
        .isInstanceOf(Edit.Refused.class)
        .hasMessageContaining("not well-formed");
  }
}

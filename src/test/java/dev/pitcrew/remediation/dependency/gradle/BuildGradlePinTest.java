package dev.pitcrew.remediation.dependency.gradle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pitcrew.remediation.dependency.Edit;
import org.junit.jupiter.api.Test;

class BuildGradlePinTest {
  @Test
  void changesTheVersionInsideAGroovyCoordinateOnly() throws Exception {
    String before =
        """
        dependencies {
            // implementation 'com.google.guava:guava:31.0-jre'  (the old line, kept for reference)
            implementation 'com.google.guava:guava:33.2.0-jre'   // core utilities
            testImplementation "org.junit.jupiter:junit-jupiter:5.10.2"
            runtimeOnly group: 'org.postgresql', name: 'postgresql', version: '42.7.3'
        }
        """;
    Edit e = BuildGradlePin.pin(before, "com.google.guava:guava", "33.3.1-jre");
    assertThat(e.after())
        .isEqualTo(
            before.replace(
                "'com.google.guava:guava:33.2.0-jre'", "'com.google.guava:guava:33.3.1-jre'"));
    assertThat(e.description())
        .isEqualTo("pin com.google.guava:guava from 33.2.0-jre to 33.3.1-jre");
    assertThat(BuildGradlePin.pin(before, "org.postgresql:postgresql", "42.7.4").after())
        .isEqualTo(before.replace("version: '42.7.3'", "version: '42.7.4'"));
  }

  @Test
  void changesAKotlinDslCoordinateWithAClassifier() throws Exception {
    String before =
        """
        dependencies {
            implementation("io.netty:netty-transport-native-epoll:4.1.110.Final:linux-x86_64")
            implementation("org.slf4j:slf4j-api:2.0.13")
        }
        """;
    assertThat(
            BuildGradlePin.pin(before, "io.netty:netty-transport-native-epoll", "4.1.114.Final")
                .after())
        .isEqualTo(before.replace("4.1.110.Final", "4.1.114.Final"));
  }

  @Test
  void followsAVersionVariableDefinedInTheFile() throws Exception {
    String before =
        """
        val jacksonVersion = "2.17.0" // one version for the whole family

        dependencies {
            implementation("com.fasterxml.jackson.core:jackson-databind:$jacksonVersion")
            implementation("com.fasterxml.jackson.core:jackson-core:${jacksonVersion}")
        }
        """;
    Edit e = BuildGradlePin.pin(before, "com.fasterxml.jackson.core:jackson-databind", "2.17.2");
    assertThat(e.after()).isEqualTo(before.replace("\"2.17.0\"", "\"2.17.2\""));
    assertThat(BuildGradlePin.version(before, "com.fasterxml.jackson.core:jackson-core"))
        .contains("2.17.0");
  }

  @Test
  void refusesAnUndeclaredCoordinateOrAVersionFromElsewhere() {
    String catalog = "dependencies {\n    implementation(\"a.b:c:$fromProperties\")\n}\n";
    assertThatThrownBy(() -> BuildGradlePin.pin(catalog, "a.b:c", "2.0"))
        .isInstanceOf(Edit.Refused.class)
        .hasMessageContaining("not defined in the build file");
    assertThatThrownBy(() -> BuildGradlePin.pin(catalog, "x.y:z", "2.0"))
        .isInstanceOf(Edit.Refused.class)
        .hasMessageContaining("not declared");
  }
}

package dev.pitcrew.remediation.dependency.gradle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pitcrew.remediation.dependency.Edit;
import org.junit.jupiter.api.Test;

class BuildGradleTest {
  @Test
  void addsAGroovyLineInTheFilesQuotingStyle() throws Exception {
    String before =
        """
        plugins { id 'java' }

        dependencies {
            implementation 'com.google.guava:guava:33.2.0-jre'
            testImplementation 'org.junit.jupiter:junit-jupiter:5.10.2'
        }
        """;
    assertThat(
            BuildGradle.add(before, false, "implementation", "org.slf4j:slf4j-api:2.0.13").after())
        .isEqualTo(
            """
            plugins { id 'java' }

            dependencies {
                implementation 'com.google.guava:guava:33.2.0-jre'
                testImplementation 'org.junit.jupiter:junit-jupiter:5.10.2'
                implementation 'org.slf4j:slf4j-api:2.0.13'
            }
            """);
  }

  @Test
  void addsAKotlinDslLineAndLeavesNestedBlocksAlone() throws Exception {
    String before =
        """
        dependencies {
          implementation("a:b:1") {
            exclude(group = "x")
          }
        }
        """;
    assertThat(
            BuildGradle.add(before, true, "implementation", "org.slf4j:slf4j-api:2.0.13").after())
        .isEqualTo(
            """
            dependencies {
              implementation("a:b:1") {
                exclude(group = "x")
              }
              implementation("org.slf4j:slf4j-api:2.0.13")
            }
            """);
  }

  @Test
  void refusesADuplicateAndAnOddConfiguration() {
    String before = "dependencies {\n    implementation 'a:b:1'\n}\n";
    assertThatThrownBy(() -> BuildGradle.add(before, false, "implementation", "a:b:2"))
        .isInstanceOf(Edit.Refused.class)
        .hasMessageContaining("already declared");
    assertThatThrownBy(() -> BuildGradle.add(before, false, "x'; evil()", "c:d:1"))
        .isInstanceOf(Edit.Refused.class);
  }
}

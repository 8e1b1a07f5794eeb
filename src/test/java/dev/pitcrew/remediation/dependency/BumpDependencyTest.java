package dev.pitcrew.remediation.dependency;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pitcrew.diagnosis.Category;
import dev.pitcrew.diagnosis.RiskLevel;
import dev.pitcrew.policy.RepoSettings;
import dev.pitcrew.policy.StandardRiskPolicy;
import dev.pitcrew.policy.Verdict.Decision;
import dev.pitcrew.remediation.Fixtures;
import dev.pitcrew.remediation.Plan;
import dev.pitcrew.remediation.RecordingForge;
import dev.pitcrew.remediation.RepoFiles;
import dev.pitcrew.remediation.TestRepo;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BumpDependencyTest {
  @TempDir Path dir;

  @Test
  void semverDecidesTheRisk() {
    assertThat(Versions.risk("2.31.0", "2.31.1")).isEqualTo(RiskLevel.LOW);
    assertThat(Versions.risk("^4.17.0", "^4.18.2")).isEqualTo(RiskLevel.MEDIUM);
    assertThat(Versions.risk("1.9", "2.0")).isEqualTo(RiskLevel.HIGH);
    assertThat(Versions.risk(null, "1.0")).isEqualTo(RiskLevel.HIGH);
  }

  private Plan plan(Map<String, String> params) throws Exception {
    var d = Fixtures.diagnosis(Category.DEPENDENCY, RiskLevel.LOW, "bump_dependency", params);
    return new BumpDependency()
        .plan(d, Fixtures.context(new RecordingForge(), 1, dir), RepoFiles.of(dir))
        .orElseThrow();
  }

  @Test
  void aPatchPinIsLowAndAMajorWaitsForApproval() throws Exception {
    try (TestRepo repo = TestRepo.init(dir)) {
      repo.commit(
          "deps",
          Map.of(
              "requirements.txt", "django==4.2.10  # LTS\nrequests==2.31.0\n",
              "poetry.lock", "# lock\n"));
    }
    Plan patch = plan(Map.of("package", "requests", "version", "2.31.1"));
    assertThat(patch.risk()).isEqualTo(RiskLevel.LOW);
    assertThat(patch.fileChanges().get(0).after())
        .isEqualTo("django==4.2.10  # LTS\nrequests==2.31.1\n");
    assertThat(patch.params()).containsEntry("lockfile", "poetry.lock");
    Plan major = plan(Map.of("package", "django", "version", "5.0.2"));
    assertThat(major.risk()).isEqualTo(RiskLevel.HIGH);
    assertThat(major.fileChanges().get(0).after()).startsWith("django==5.0.2  # LTS\n");
    var d = Fixtures.diagnosis(Category.DEPENDENCY, RiskLevel.LOW, "bump_dependency", Map.of());
    assertThat(new StandardRiskPolicy(RepoSettings.DEFAULT).judge(d, major, 1).decision())
        .isEqualTo(Decision.ASK);
  }

  @Test
  void aMinorNpmBumpIsMedium() throws Exception {
    try (TestRepo repo = TestRepo.init(dir)) {
      repo.commit(
          "deps",
          Map.of(
              "package.json", "{\n  \"dependencies\": {\n    \"lodash\": \"^4.17.21\"\n  }\n}\n"));
    }
    Plan p = plan(Map.of("ecosystem", "npm", "package", "lodash", "version", "^4.18.0"));
    assertThat(p.risk()).isEqualTo(RiskLevel.MEDIUM);
    assertThat(p.fileChanges().get(0).diff()).contains("+    \"lodash\": \"^4.18.0\"");
  }

  @Test
  void aPyprojectPatchPinIsLow() throws Exception {
    try (TestRepo repo = TestRepo.init(dir)) {
      repo.commit(
          "deps",
          Map.of(
              "pyproject.toml",
              "[project]\nname = \"app\"\ndependencies = [\n    \"requests==2.31.0\",  # http\n]\n"));
    }
    Plan p = plan(Map.of("package", "requests", "version", "2.31.1", "file", "pyproject.toml"));
    assertThat(p.risk()).isEqualTo(RiskLevel.LOW);
    assertThat(p.fileChanges().get(0).after()).contains("    \"requests==2.31.1\",  # http\n");
    assertThat(p.params()).containsEntry("from", "==2.31.0");
  }

  @Test
  void aPomMinorBumpIsMediumAndAGradleMajorWaitsForApproval() throws Exception {
    try (TestRepo repo = TestRepo.init(dir)) {
      repo.commit(
          "deps",
          Map.of(
              "pom.xml",
              "<project>\n  <dependencies>\n    <dependency>\n      <groupId>org.slf4j</groupId>\n"
                  + "      <artifactId>slf4j-api</artifactId>\n      <version>2.0.13</version>\n"
                  + "    </dependency>\n  </dependencies>\n</project>\n",
              "build.gradle.kts",
              "dependencies {\n    implementation(\"org.slf4j:slf4j-api:1.7.36\")\n}\n"));
    }
    Plan minor =
        plan(Map.of("ecosystem", "maven", "package", "org.slf4j:slf4j-api", "version", "2.1.0"));
    assertThat(minor.risk()).isEqualTo(RiskLevel.MEDIUM);
    assertThat(minor.fileChanges().get(0).path()).isEqualTo("pom.xml");
    assertThat(minor.fileChanges().get(0).diff())
        .contains("-      <version>2.0.13</version>")
        .contains("+      <version>2.1.0</version>");
    Plan major =
        plan(Map.of("ecosystem", "gradle", "package", "org.slf4j:slf4j-api", "version", "2.0.16"));
    assertThat(major.risk()).isEqualTo(RiskLevel.HIGH);
    assertThat(major.fileChanges().get(0).path()).isEqualTo("build.gradle.kts");
    assertThat(major.fileChanges().get(0).after()).contains("\"org.slf4j:slf4j-api:2.0.16\"");
    var d = Fixtures.diagnosis(Category.DEPENDENCY, RiskLevel.LOW, "bump_dependency", Map.of());
    assertThat(new StandardRiskPolicy(RepoSettings.DEFAULT).judge(d, major, 1).decision())
        .isEqualTo(Decision.ASK);
  }
}

package dev.pitcrew.remediation.dependency;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pitcrew.diagnosis.Category;
import dev.pitcrew.diagnosis.RiskLevel;
import dev.pitcrew.remediation.Fixtures;
import dev.pitcrew.remediation.Outcome;
import dev.pitcrew.remediation.Plan;
import dev.pitcrew.remediation.Plans;
import dev.pitcrew.remediation.RecordingForge;
import dev.pitcrew.remediation.RemediationContext;
import dev.pitcrew.remediation.RepoFiles;
import dev.pitcrew.remediation.TestRepo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AddDependencyTest {
  @TempDir Path dir;
  private final AddDependency action = new AddDependency(new SupplyChainGuard(Set.of()));

  private Plan plan(Map<String, String> params) throws Exception {
    var d = Fixtures.diagnosis(Category.DEPENDENCY, RiskLevel.LOW, "add_dependency", params);
    RemediationContext ctx = Fixtures.context(new RecordingForge(), 1, dir);
    return action.plan(d, ctx, RepoFiles.of(dir)).orElseThrow();
  }

  @Test
  void restoresAPackageFromHistoryAsExactlyOneLine() throws Exception {
    try (TestRepo repo = TestRepo.init(dir)) {
      repo.commit("deps", Map.of("requirements.txt", "# web\nflask==3.0.0\nrequests==2.31.0\n"));
      repo.commit("tidy", Map.of("requirements.txt", "# web\nflask==3.0.0\n"));
    }
    Plan p = plan(Map.of("ecosystem", "pip", "file", "requirements.txt", "module", "requests"));
    assertThat(p.action()).isEqualTo("add_dependency");
    assertThat(p.params()).doesNotContainKey(Plans.NEEDS_APPROVAL);
    assertThat(p.fileChanges()).singleElement();
    Plan.FileChange fc = p.fileChanges().get(0);
    assertThat(fc.after()).isEqualTo("# web\nflask==3.0.0\nrequests==2.31.0\n");
    assertThat(fc.diff().lines().filter(l -> l.startsWith("+") && !l.startsWith("+++")))
        .containsExactly("+requests==2.31.0");
    assertThat(p.params().get(Plans.PR_BODY)).contains("the evidence line").contains("history");
    // planning changed nothing on disk
    assertThat(Files.readString(dir.resolve("requirements.txt")))
        .isEqualTo("# web\nflask==3.0.0\n");
  }

  @Test
  void mapsTheImportNameAndAsksAPersonWhenOnlyTheLogNamesIt() throws Exception {
    try (TestRepo repo = TestRepo.init(dir)) {
      repo.commit("deps", Map.of("requirements.txt", "flask\n"));
    }
    Plan p = plan(Map.of("module", "yaml"));
    assertThat(p.fileChanges().get(0).after()).isEqualTo("flask\nPyYAML\n");
    assertThat(p.params().get(Plans.NEEDS_APPROVAL)).contains("appears only in the log");
  }

  @Test
  void anAttackerCraftedModuleNameBecomesAdviceWithNoDiff() throws Exception {
    try (TestRepo repo = TestRepo.init(dir)) {
      repo.commit("deps", Map.of("requirements.txt", "flask\n"));
    }
    for (String attack : new String[] {"reqeusts", "requets", "nunpy"}) {
      Plan p = plan(Map.of("module", attack));
      assertThat(p.action()).as(attack).isEqualTo(Plans.SUGGESTION);
      assertThat(p.fileChanges()).isEmpty();
      assertThat(p.forgeCalls()).isEmpty();
    }
  }

  @Test
  void aPackageAlreadyDeclaredIsFlaggedAsALockfileOutOfSync() throws Exception {
    try (TestRepo repo = TestRepo.init(dir)) {
      repo.commit("deps", Map.of("requirements.txt", "PyYAML==6.0.1\n"));
    }
    Plan p = plan(Map.of("module", "yaml"));
    assertThat(p.action()).isEqualTo(Plans.SUGGESTION);
    assertThat(p.summary()).contains("out of sync");
  }

  @Test
  void usesPyprojectWhenThereIsNoRequirementsFile() throws Exception {
    try (TestRepo repo = TestRepo.init(dir)) {
      repo.commit(
          "deps",
          Map.of(
              "pyproject.toml", "[project]\nname = \"a\"\ndependencies = [\n    \"flask\",\n]\n"));
    }
    Plan p = plan(Map.of("module", "sklearn", "file", "requirements.txt"));
    assertThat(p.fileChanges().get(0).path()).isEqualTo("pyproject.toml");
    assertThat(p.fileChanges().get(0).after()).contains("    \"scikit-learn\",\n]");
  }

  @Test
  void addsAnNpmPackageAtItsLockedVersion() throws Exception {
    try (TestRepo repo = TestRepo.init(dir)) {
      repo.commit(
          "deps",
          Map.of(
              "package.json",
              "{\n  \"name\": \"a\",\n  \"dependencies\": {\n    \"express\": \"^4.19.2\"\n  }\n}\n",
              "package-lock.json",
              "{\"packages\": {\"node_modules/lodash\": {\"version\": \"4.17.21\"}}}"));
    }
    Plan p = plan(Map.of("ecosystem", "npm", "package", "lodash"));
    assertThat(p.params()).containsEntry("supply_chain", "verified");
    assertThat(p.fileChanges().get(0).diff()).contains("+    \"lodash\": \"^4.17.21\"");
  }

  @Test
  void applyingOpensOnePullRequestThroughTheForge() throws Exception {
    try (TestRepo repo = TestRepo.init(dir)) {
      repo.commit("deps", Map.of("requirements.txt", "flask\n"));
    }
    var d =
        Fixtures.diagnosis(
            Category.DEPENDENCY, RiskLevel.LOW, "add_dependency", Map.of("module", "yaml"));
    RecordingForge forge =
        new RecordingForge().seed("main", "sha0", Map.of("requirements.txt", "flask\n"));
    RemediationContext ctx = Fixtures.context(forge, 1, dir);
    Plan p = action.plan(d, ctx, RepoFiles.of(dir)).orElseThrow();
    Outcome o = action.apply(p, ctx);
    action.apply(p, ctx);
    assertThat(o.status()).isEqualTo(Outcome.Status.APPLIED);
    assertThat(forge.pullRequests).hasSize(1);
    assertThat(forge.branches.get("pitcrew/inc-1-add_dependency"))
        .containsEntry("requirements.txt", "flask\nPyYAML\n");
  }
}

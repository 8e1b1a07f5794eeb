package dev.pitcrew.remediation.dependency;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pitcrew.diagnosis.Category;
import dev.pitcrew.diagnosis.Diagnosis;
import dev.pitcrew.diagnosis.Evidence;
import dev.pitcrew.diagnosis.RiskLevel;
import dev.pitcrew.remediation.Fixtures;
import dev.pitcrew.remediation.Plan;
import dev.pitcrew.remediation.Plans;
import dev.pitcrew.remediation.RecordingForge;
import dev.pitcrew.remediation.RepoFiles;
import dev.pitcrew.remediation.dependency.pip.PipConflict;
import dev.pitcrew.remediation.dependency.pip.Specifiers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResolveVersionConflictTest {
  @TempDir Path dir;

  /** pip 24's output for this conflict, as the lab's python-version-conflict job prints it. */
  private static final String PIP =
      """
      Processing ./wheels/labhttp-1.6.0-py3-none-any.whl (from -r requirements.txt (line 3))
      INFO: pip is looking at multiple versions of labclient to determine which version is compatible with other requirements. This could take a while.
      ERROR: Cannot install -r requirements.txt (line 2) and labhttp==1.6.0 because these package versions have conflicting dependencies.

      The conflict is caused by:
          The user requested labhttp==1.6.0
          labclient 1.0 depends on labhttp<1.6 and >=1.4

      To fix this you could try to:
      1. loosen the range of package versions you've specified
      ERROR: ResolutionImpossible: for help visit https://pip.pypa.io/en/latest/topics/dependency-resolution/
      """;

  private static final String REQS =
      "# HTTP stack\nlabclient==1.0\nlabhttp==1.6.0  # raised by the weekly bump\n";

  private Plan plan(String log, Map<String, String> files) throws Exception {
    for (var e : files.entrySet()) {
      Path p = dir.resolve(e.getKey());
      Files.createDirectories(p.getParent());
      Files.writeString(p, e.getValue());
    }
    List<Evidence> ev = new ArrayList<>();
    String[] lines = log.split("\n");
    for (int i = 0; i < lines.length; i++) {
      ev.add(new Evidence(i + 1, lines[i]));
    }
    Diagnosis d =
        new Diagnosis(
            "job.log",
            Category.DEPENDENCY,
            "conflict",
            0.9,
            RiskLevel.MEDIUM,
            ResolveVersionConflict.NAME,
            Map.of("ecosystem", "pip", "file", "requirements.txt", "package", ""),
            Optional.of("pb-dependency-python-version-conflict"),
            "rules",
            ev,
            "",
            Optional.empty(),
            List.of());
    return new ResolveVersionConflict()
        .plan(d, Fixtures.context(new RecordingForge(), 1, dir), RepoFiles.of(dir))
        .orElseThrow();
  }

  @Test
  void readsPipsExplanation() {
    PipConflict c = PipConflict.parse(PIP);
    assertThat(c.userPinnedConflicts()).containsExactly("labhttp");
    assertThat(c.dependencyConstraints("labhttp"))
        .singleElement()
        .satisfies(
            k -> {
              assertThat(k.specifier()).isEqualTo("<1.6,>=1.4");
              assertThat(k.from()).isEqualTo("labclient 1.0");
            });
    PipConflict offered =
        PipConflict.parse(
            "ERROR: Could not find a version that satisfies the requirement gamma<2,>=2 (from"
                + " versions: 1.0.0, 1.9.3, 2.0.1)");
    assertThat(offered.offered("Gamma")).containsExactly("1.0.0", "1.9.3", "2.0.1");
  }

  @Test
  void specifiersFollowPep440ForFinalReleases() {
    assertThat(Specifiers.satisfies("1.5.1", "<1.6,>=1.4")).isTrue();
    assertThat(Specifiers.satisfies("1.6.0", "<1.6,>=1.4")).isFalse();
    assertThat(Specifiers.satisfies("1.10.0", ">1.9")).isTrue();
    assertThat(Specifiers.satisfies("2.2.5", "~=2.2")).isTrue();
    assertThat(Specifiers.satisfies("3.0", "~=2.2")).isFalse();
    assertThat(Specifiers.satisfies("1.4.9", "==1.4.*")).isTrue();
    assertThat(Specifiers.satisfies("1.5.0", "!=1.5.0")).isFalse();
    assertThat(Specifiers.satisfies("1.5.0rc1", ">=1.4")).as("no pre-releases").isFalse();
  }

  @Test
  void pinsTheNewestVendoredVersionEveryDependencyAccepts() throws Exception {
    Plan p =
        plan(
            PIP,
            Map.of(
                "requirements.txt", REQS,
                "vendor/labhttp-1.4.2/labhttp/__init__.py", "",
                "vendor/labhttp-1.5.1/labhttp/__init__.py", "",
                "vendor/labhttp-1.6.0/labhttp/__init__.py", "",
                "vendor/labclient-1.0/labclient/__init__.py", ""));
    assertThat(p.action()).isEqualTo(ResolveVersionConflict.NAME);
    assertThat(p.risk()).as("1.6.0 → 1.5.1 is a minor change").isEqualTo(RiskLevel.MEDIUM);
    assertThat(p.fileChanges())
        .singleElement()
        .satisfies(
            f ->
                assertThat(f.after())
                    .isEqualTo(
                        "# HTTP stack\nlabclient==1.0\nlabhttp==1.5.1  # raised by the weekly"
                            + " bump\n"));
    assertThat(p.params()).containsEntry("from", "1.6.0").containsEntry("version", "1.5.1");
    assertThat(p.params().get("source")).isEqualTo("vendor/labhttp-1.5.1/");
  }

  @Test
  void aMajorDowngradeIsHighRiskAndPipsOfferedVersionsCount() throws Exception {
    String log =
        PIP.replace("labhttp==1.6.0", "labhttp==2.1.0")
                .replace("labhttp<1.6 and >=1.4", "labhttp<2.0")
            + "ERROR: Could not find a version that satisfies the requirement labhttp<2.0"
            + " (from versions: 1.4.2, 2.1.0)\n";
    Plan p = plan(log, Map.of("requirements.txt", "labclient==1.0\nlabhttp==2.1.0\n"));
    assertThat(p.params()).containsEntry("version", "1.4.2");
    assertThat(p.risk()).isEqualTo(RiskLevel.HIGH);
  }

  @Test
  void withoutAVersionThatFitsItIsAdvice() throws Exception {
    Plan none =
        plan(
            PIP,
            Map.of(
                "requirements.txt", REQS,
                "vendor/labhttp-1.6.0/labhttp/__init__.py", "",
                "vendor/labhttp-1.3.0/labhttp/__init__.py", ""));
    assertThat(none.action()).isEqualTo(Plans.SUGGESTION);
    assertThat(none.summary()).contains("1.6.0, 1.3.0").contains("labclient 1.0 needs <1.6,>=1.4");

    Plan unpinned =
        plan(
            PIP,
            Map.of(
                "requirements.txt", "labclient==1.0\nlabhttp>=1.6\n",
                "vendor/labhttp-1.5.1/labhttp/__init__.py", ""));
    assertThat(unpinned.action()).isEqualTo(Plans.SUGGESTION);
    assertThat(unpinned.summary()).contains("not pinned with ==");

    Plan poetry = plan("SolverProblemError\nBecause app depends on x (^2) ...", Map.of());
    assertThat(poetry.action()).isEqualTo(Plans.SUGGESTION);
  }
}

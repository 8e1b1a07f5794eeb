package dev.pitcrew.remediation;

import dev.pitcrew.diagnosis.Category;
import dev.pitcrew.diagnosis.Diagnosis;
import dev.pitcrew.diagnosis.Evidence;
import dev.pitcrew.diagnosis.RiskLevel;
import dev.pitcrew.forge.Provider;
import dev.pitcrew.forge.RepoRef;
import dev.pitcrew.forge.Run;
import dev.pitcrew.forge.RunRef;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Diagnoses and contexts for action tests. */
public final class Fixtures {
  private Fixtures() {}

  public static final RepoRef REPO = new RepoRef(Provider.LOCAL, "local", "acme/app");

  public static Diagnosis diagnosis(
      Category category, RiskLevel risk, String strategy, Map<String, String> params) {
    return diagnosis(category, risk, strategy, params, "rules");
  }

  public static Diagnosis diagnosis(
      Category category,
      RiskLevel risk,
      String strategy,
      Map<String, String> params,
      String analyzer) {
    return new Diagnosis(
        "job.log",
        category,
        "Something failed",
        0.9,
        risk,
        strategy,
        params,
        Optional.of("pb-test"),
        analyzer,
        List.of(new Evidence(12, "the evidence line")),
        "Because.",
        Optional.empty(),
        List.of());
  }

  public static RemediationContext context(RecordingForge forge, int attempt, Path checkout) {
    RunRef ref = new RunRef(REPO, "42", 1);
    Run run =
        new Run(
            ref, "main", "sha0", "ci.yml", "failed", "https://ci/42", Instant.EPOCH, "dev", null);
    return new RemediationContext(
        forge, REPO, run, attempt, Optional.ofNullable(checkout), "inc-1");
  }
}

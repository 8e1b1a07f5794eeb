package dev.pitcrew.diagnosis.llm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pitcrew.diagnosis.Evidence;
import dev.pitcrew.logs.Redactor;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GroundingTest {
  static final Map<Integer, String> LOG =
      Map.of(
          10, "Collecting requests",
          11, "ERROR: No matching distribution found for reqeusts==9.9",
          12, "  ModuleNotFoundError:   No module named 'requests'",
          13, "token=ghp_R4nd0mT0k3nV4lu3Xyz1234567890abcdEF used");

  static Grounding.Result check(Evidence... e) {
    return Grounding.check(List.of(e), LOG, Map.of(), Redactor.lookAlikesOnly());
  }

  @Test
  void anExactLineAtItsNumberIsVerified() {
    assertThat(
            check(new Evidence(11, "ERROR: No matching distribution found for reqeusts==9.9"))
                .verified())
        .containsExactly(
            new Evidence(11, "ERROR: No matching distribution found for reqeusts==9.9"));
  }

  @Test
  void toleratesWhitespaceAndAMiscountOfUpToThreeLines() {
    var r = check(new Evidence(9, "ModuleNotFoundError: No module named 'requests'"));
    assertThat(r.verified()).extracting(Evidence::line).containsExactly(12);
    assertThat(check(new Evidence(8, "ModuleNotFoundError: No module named 'requests'")).verified())
        .isEmpty();
  }

  @Test
  void inventedOrAlteredLinesAreRejected() {
    var r =
        check(
            new Evidence(11, "ERROR: No matching distribution found for evil-package"),
            new Evidence(12, "No module"));
    assertThat(r.verified()).isEmpty();
    assertThat(r.rejected()).hasSize(2);
  }

  @Test
  void verifiedEvidenceIsReportedRedacted() {
    var r = check(new Evidence(13, "token=[REDACTED:github_token] used"));
    assertThat(r.verified()).isEmpty(); // the model saw the masked line only through `shown`
    var shown =
        Grounding.check(
            List.of(new Evidence(13, "token=[REDACTED:github_token] used")),
            LOG,
            Map.of(13, "token=[REDACTED:github_token] used"),
            Redactor.lookAlikesOnly());
    assertThat(shown.verified())
        .containsExactly(new Evidence(13, "token=[REDACTED:github_token] used"));
  }
}

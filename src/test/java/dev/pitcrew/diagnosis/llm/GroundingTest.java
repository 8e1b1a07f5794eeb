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

  @Test
  void aCachedCitationIsReFoundByItsShapeInAnotherLog() {
    // the answer cited line 4 of the first job's log; this job's log has the failure at 27, with
    // other numbers in it, and a line of another shape in between
    Map<Integer, String> shown =
        Map.of(
            3, "widget pool initialised",
            20, "FrobnicatorError: connection refused on port 8080",
            27, "FrobnicatorError: widget count 9 exceeds the quota of 5 set in frob.conf",
            31, "FrobnicatorError: widget count 9 exceeds the quota of 5 set in frob.conf");
    var moved =
        Grounding.relocate(
            List.of(
                new Evidence(
                    4, "FrobnicatorError: widget count 7 exceeds the quota of 5 set in frob.conf")),
            shown);
    assertThat(moved)
        .containsExactly(
            new Evidence(
                27, "FrobnicatorError: widget count 9 exceeds the quota of 5 set in frob.conf"));
    assertThat(Grounding.check(moved, Map.of(), shown, Redactor.lookAlikesOnly()).verified())
        .isEqualTo(moved);
  }

  @Test
  void relocationKeepsCitationsInPlaceAndNeverInventsOne() {
    Map<Integer, String> shown =
        Map.of(5, "npm ERR! 404 Not Found - GET https://registry.npmjs.org/left-pad");
    var inPlace =
        new Evidence(4, "npm ERR! 404 Not Found - GET https://registry.npmjs.org/left-pad");
    var otherText =
        new Evidence(40, "npm ERR! 404 Not Found - GET https://registry.npmjs.org/evil");
    assertThat(Grounding.relocate(List.of(inPlace, otherText), shown))
        .containsExactly(inPlace, otherText);
    assertThat(
            Grounding.check(List.of(otherText), Map.of(), shown, Redactor.lookAlikesOnly())
                .verified())
        .isEmpty();
  }
}

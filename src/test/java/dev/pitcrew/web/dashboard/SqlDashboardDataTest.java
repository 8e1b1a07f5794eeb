package dev.pitcrew.web.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pitcrew.web.dashboard.DashboardData.EvidenceLine;
import org.junit.jupiter.api.Test;

class SqlDashboardDataTest {
  @Test
  void readsEvidenceAsStoredByTheService() {
    assertThat(SqlDashboardData.evidence("[{\"line\": 347, \"text\": \"npm ERR! notarget\"}]"))
        .containsExactly(new EvidenceLine(347, "npm ERR! notarget"));
  }

  @Test
  void showsEvidenceThatIsNotJsonAsItIs() {
    assertThat(SqlDashboardData.evidence("<b>plain text</b>"))
        .containsExactly(new EvidenceLine(0, "<b>plain text</b>"));
    assertThat(SqlDashboardData.evidence(null)).isEmpty();
  }

  @Test
  void readsStepsAndToleratesMissingDurations() {
    var steps = SqlDashboardData.steps("[{\"step\": \"add_dependency\", \"result\": \"success\"}]");
    assertThat(steps).singleElement().satisfies(s -> assertThat(s.durationSeconds()).isEmpty());
  }
}

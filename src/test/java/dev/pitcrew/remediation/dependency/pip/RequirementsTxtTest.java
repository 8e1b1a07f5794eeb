package dev.pitcrew.remediation.dependency.pip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pitcrew.remediation.UnifiedDiff;
import dev.pitcrew.remediation.dependency.Edit;
import org.junit.jupiter.api.Test;

class RequirementsTxtTest {
  @Test
  void keepsCommentsAndOrderWhenAddingARequirementToASortedFile() throws Exception {
    String before =
        """
        # runtime
        flask==3.0.0  # web
        pyyaml==6.0.1
        # tests
        urllib3==2.2.1
        """;
    Edit e = RequirementsTxt.add(before, "requests==2.31.0");
    assertThat(e.after())
        .isEqualTo(
            """
            # runtime
            flask==3.0.0  # web
            pyyaml==6.0.1
            # tests
            requests==2.31.0
            urllib3==2.2.1
            """);
    assertThat(UnifiedDiff.of("requirements.txt", before, e.after()).lines())
        .filteredOn(l -> l.startsWith("+") && !l.startsWith("+++"))
        .containsExactly("+requests==2.31.0");
  }

  @Test
  void appendsAfterTheLastRequirementOfAnUnsortedFile() throws Exception {
    String before = "zope.interface\n-r base.txt\nattrs\n\n# end\n";
    assertThat(RequirementsTxt.add(before, "PyYAML").after())
        .isEqualTo("zope.interface\n-r base.txt\nattrs\nPyYAML\n\n# end\n");
  }

  @Test
  void refusesAPackageAlreadyThereUnderAnotherSpelling() {
    assertThatThrownBy(() -> RequirementsTxt.add("PyYAML>=6\n", "pyyaml"))
        .isInstanceOf(Edit.Refused.class)
        .hasMessageContaining("already");
  }

  @Test
  void keepsAFileWithoutAFinalNewlineThatWay() throws Exception {
    assertThat(RequirementsTxt.add("a\nc", "b").after()).isEqualTo("a\nb\nc");
  }

  @Test
  void pinKeepsExtrasMarkersAndComments() throws Exception {
    String before = "uvicorn[standard]==0.29.0 ; python_version >= '3.8'  # server\n";
    Edit e = RequirementsTxt.pin(before, "uvicorn", "0.29.1");
    assertThat(e.after())
        .isEqualTo("uvicorn[standard]==0.29.1 ; python_version >= '3.8'  # server\n");
    assertThat(RequirementsTxt.pinned(before, "Uvicorn")).contains("0.29.0");
  }
}

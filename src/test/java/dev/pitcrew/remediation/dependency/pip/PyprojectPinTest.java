package dev.pitcrew.remediation.dependency.pip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pitcrew.remediation.dependency.Edit;
import org.junit.jupiter.api.Test;

class PyprojectPinTest {
  private static final String PEP621 =
      """
      [project]
      name = "app"
      # keep the web stack on LTS releases
      dependencies = [
          "flask>=3",  # web
          "requests[socks]==2.31.0 ; python_version >= '3.9'",
          'click',
      ]

      [project.optional-dependencies]
      test = ["pytest==8.0.0"]
      """;

  @Test
  void repinsAPep621RequirementKeepingExtrasMarkerQuotesAndComments() throws Exception {
    Edit e = PyprojectPin.pin(PEP621, "Requests", "2.31.1");
    assertThat(e.after())
        .isEqualTo(
            PEP621.replace(
                "\"requests[socks]==2.31.0 ; python_version >= '3.9'\"",
                "\"requests[socks]==2.31.1 ; python_version >= '3.9'\""));
    assertThat(PyprojectPin.version(e.after(), "requests")).contains("==2.31.1");
    assertThat(e.description())
        .isEqualTo("pin Requests from ==2.31.0 to ==2.31.1 in pyproject.toml");
  }

  @Test
  void pinsAnUnpinnedRequirementAndOneInAnOptionalGroup() throws Exception {
    assertThat(PyprojectPin.pin(PEP621, "click", "8.1.7").after())
        .isEqualTo(PEP621.replace("'click',", "'click==8.1.7',"));
    assertThat(PyprojectPin.pin(PEP621, "pytest", "8.0.2").after())
        .isEqualTo(PEP621.replace("\"pytest==8.0.0\"", "\"pytest==8.0.2\""));
  }

  @Test
  void changesAPoetryConstraintAndAnInlineTableVersion() throws Exception {
    String before =
        """
        [tool.poetry.dependencies]
        python = "^3.11"
        requests = "^2.31.0"  # http
        uvicorn = { version = "0.29.0", extras = ["standard"] }

        [tool.poetry.group.dev.dependencies]
        pytest = "8.0.0"
        """;
    assertThat(PyprojectPin.pin(before, "requests", "^2.32.0").after())
        .isEqualTo(before.replace("\"^2.31.0\"  # http", "\"^2.32.0\"  # http"));
    assertThat(PyprojectPin.pin(before, "uvicorn", "0.29.1").after())
        .isEqualTo(before.replace("\"0.29.0\"", "\"0.29.1\""));
    assertThat(PyprojectPin.pin(before, "pytest", "8.0.2").after())
        .isEqualTo(before.replace("\"8.0.0\"", "\"8.0.2\""));
    assertThat(PyprojectPin.version(before, "uvicorn")).contains("0.29.0");
  }

  @Test
  void refusesWhatItCannotEditSafely() {
    assertThatThrownBy(() -> PyprojectPin.pin(PEP621, "django", "5.0.0"))
        .isInstanceOf(Edit.Refused.class)
        .hasMessageContaining("not declared");
    assertThatThrownBy(() -> PyprojectPin.pin(PEP621, "flask", "3.0.0; rm -rf"))
        .isInstanceOf(Edit.Refused.class)
        .hasMessageContaining("not a version");
    assertThatThrownBy(() -> PyprojectPin.pin("[project\nname=", "flask", "3.0.0"))
        .isInstanceOf(Edit.Refused.class)
        .hasMessageContaining("not valid TOML");
  }
}

package dev.pitcrew.remediation.dependency.pip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pitcrew.remediation.dependency.Edit;
import org.junit.jupiter.api.Test;

class PyprojectTest {
  @Test
  void addsAnItemToAMultiLinePep621ArrayKeepingComments() throws Exception {
    String before =
        """
        [project]
        name = "app"
        dependencies = [
            "flask>=3",  # web
            "click"  # cli
        ]

        [tool.black]
        line-length = 100
        """;
    Edit e = Pyproject.add(before, "PyYAML", "PyYAML==6.0.1", "6.0.1");
    assertThat(e.after())
        .isEqualTo(
            """
            [project]
            name = "app"
            dependencies = [
                "flask>=3",  # web
                "click",  # cli
                "PyYAML==6.0.1",
            ]

            [tool.black]
            line-length = 100
            """);
    assertThat(Pyproject.names(e.after())).containsExactly("flask", "click", "pyyaml");
  }

  @Test
  void addsToASingleLineArray() throws Exception {
    String before = "[project]\nname = \"x\"\ndependencies = [\"flask\"]\n";
    assertThat(Pyproject.add(before, "requests", "requests", "*").after())
        .isEqualTo("[project]\nname = \"x\"\ndependencies = [\"flask\", \"requests\"]\n");
  }

  @Test
  void addsAPoetryDependencyAfterTheLastOneOfItsTable() throws Exception {
    String before =
        """
        [tool.poetry.dependencies]
        python = "^3.11"
        flask = "^3.0"

        [tool.poetry.group.dev.dependencies]
        pytest = "^8"
        """;
    assertThat(Pyproject.add(before, "requests", "requests", "2.31.0").after())
        .isEqualTo(
            """
            [tool.poetry.dependencies]
            python = "^3.11"
            flask = "^3.0"
            requests = "2.31.0"

            [tool.poetry.group.dev.dependencies]
            pytest = "^8"
            """);
  }

  @Test
  void refusesBrokenToml() {
    assertThatThrownBy(() -> Pyproject.add("[project\nname=", "a", "a", "*"))
        .isInstanceOf(Edit.Refused.class)
        .hasMessageContaining("not valid TOML");
  }
}

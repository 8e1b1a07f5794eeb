package dev.pitcrew.diagnosis.llm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pitcrew.playbook.Playbook;
import dev.pitcrew.playbook.PlaybookLoader;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ActionsTest {
  static final List<Playbook> SHIPPED = PlaybookLoader.loadDefault(List.of()).catalog().all();

  @Test
  void registeredActionsAreExactlyTheShippedPlaybooksStepActions() {
    Set<String> used =
        SHIPPED.stream()
            .flatMap(p -> p.steps().stream())
            .map(Playbook.Step::action)
            .collect(Collectors.toCollection(TreeSet::new));
    assertThat(new TreeSet<>(Actions.names())).isEqualTo(used);
  }

  @Test
  void everyShippedStepsParametersFitTheirShapes() {
    for (Playbook p : SHIPPED) {
      for (Playbook.Step s : p.steps()) {
        Map<String, String> bound = new java.util.HashMap<>();
        // captures are bound at run time; stand in a plausible value for each placeholder
        s.params().forEach((k, v) -> bound.put(k, v.startsWith("{") ? sample(k) : v));
        assertThat(Actions.violation(s.action(), bound))
            .as(p.id() + " step " + s.action() + " " + bound)
            .isEmpty();
      }
    }
  }

  static String sample(String param) {
    return switch (param) {
      case "module", "package" -> "requests";
      case "name" -> "DATABASE_URL";
      default -> "10m0s";
    };
  }

  @Test
  void refusesUnknownActionsAndParameters() {
    assertThat(Actions.violation("run_shell", Map.of("command", "ls")))
        .hasValueSatisfying(m -> assertThat(m).contains("'run_shell' is not a registered action"));
    assertThat(Actions.violation("retry_pipeline", Map.of("command", "rm -rf /")))
        .hasValueSatisfying(m -> assertThat(m).contains("has no parameter 'command'"));
    assertThat(Actions.violation("none", Map.of("x", "y"))).isPresent();
    assertThat(Actions.violation("none", Map.of())).isEmpty();
  }

  @Test
  void packageNamesMustBePlainNames() {
    assertThat(Actions.violation("add_dependency", Map.of("package", "requests"))).isEmpty();
    assertThat(Actions.violation("add_dependency", Map.of("package", "@types/node"))).isEmpty();
    for (String bad :
        List.of("requests; curl x|sh", "a b", "../x", "$(id)", "req`id`", "", "-rf", "x>1")) {
      assertThat(Actions.violation("add_dependency", Map.of("package", bad))).as(bad).isPresent();
    }
    assertThat(Actions.violation("add_dependency", Map.of("file", "requirements.txt")))
        .hasValueSatisfying(m -> assertThat(m).contains("needs one of [module, package]"));
  }

  @Test
  void filesMustBeManifestsInsideTheRepository() {
    assertThat(
            Actions.violation(
                "add_dependency", Map.of("package", "x", "file", "svc/requirements.txt")))
        .isEmpty();
    for (String bad :
        List.of(
            "../../etc/passwd",
            "/etc/passwd",
            ".github/workflows/ci.yml",
            "build.sh",
            "a//requirements.txt",
            "README.md")) {
      assertThat(Actions.violation("add_dependency", Map.of("package", "x", "file", bad)))
          .as(bad)
          .isPresent();
    }
  }

  @Test
  void variablesThatChangeWhatRunsOrHoldCredentialsAreRefused() {
    assertThat(Actions.violation("set_ci_variable", Map.of("name", "DATABASE_URL"))).isEmpty();
    for (String bad :
        List.of(
            "DEPLOY_TOKEN",
            "NODE_OPTIONS",
            "LD_PRELOAD",
            "PATH",
            "AWS_SECRET_ACCESS_KEY",
            "GITHUB_ENV",
            "a-b",
            "1X")) {
      assertThat(Actions.violation("set_ci_variable", Map.of("name", bad))).as(bad).isPresent();
    }
  }
}

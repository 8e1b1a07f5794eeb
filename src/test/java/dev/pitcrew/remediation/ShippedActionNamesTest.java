package dev.pitcrew.remediation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pitcrew.playbook.Playbook;
import dev.pitcrew.playbook.PlaybookLoader;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** Every action a shipped playbook names is implemented, or is knowingly left to people. */
class ShippedActionNamesTest {
  /** Named by playbooks, deliberately not automated (see ADR 0010). */
  static final Set<String> FOR_PEOPLE =
      Set.of(
          "reduce_parallelism",
          "raise_ulimit",
          "quarantine_flaky_test",
          // dependency and environment advice: versions, lockfiles, toolchains need a person
          "pin_dependency",
          "update_lockfile",
          "install_tool",
          "set_runtime_version",
          "notify_developer");

  @Test
  void everyPlaybookStepIsARegisteredActionOrKnowinglyForPeople() {
    RemediationRegistry registry = Remediations.standard(java.util.Map.of());
    Set<String> unknown = new TreeSet<>();
    List<Playbook> all = PlaybookLoader.loadDefault(List.of()).catalog().all();
    assertThat(all).hasSizeGreaterThan(50);
    for (Playbook pb : all) {
      for (Playbook.Step s : pb.steps()) {
        if (registry.action(s.action()).isEmpty() && !FOR_PEOPLE.contains(s.action())) {
          unknown.add(pb.id() + ": " + s.action());
        }
      }
    }
    assertThat(unknown).isEmpty();
    assertThat(registry.names())
        .contains(
            "retry_pipeline",
            "add_dependency",
            "set_ci_variable",
            "increase_test_timeout",
            "increase_memory",
            "increase_jvm_heap",
            "increase_node_heap",
            "increase_job_timeout",
            "free_disk",
            "escalate");
  }
}

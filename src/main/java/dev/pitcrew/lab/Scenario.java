package dev.pitcrew.lab;

import dev.pitcrew.diagnosis.Category;
import java.util.Map;
import java.util.Optional;

/**
 * A sample project with one injected failure, and what Pitcrew should make of it. Scenarios live in
 * {@code src/main/resources/lab/scenarios/NAME/}: {@code scenario.yaml}, the project's files under
 * {@code project/}, and the files a person would change to fix it under {@code fix/}.
 *
 * @param expectedPlaybook the playbook that should explain the failure, when one is expected
 * @param expectedAction the remediation strategy the diagnosis should name ({@code none} for code
 *     defects)
 * @param autoFix whether Pitcrew may fix this on its own; false for genuine code defects
 * @param awaitingPlaybook why the expected diagnosis cannot be made yet (a playbook that is not
 *     written yet); the lab still proves that the failure is real and fixable
 * @param awaitingPlaybook why the expected diagnosis cannot be made yet (its playbook is not
 *     written yet); the lab still proves that the failure is real and that the fix works
 * @param world what the outside world does to the pipeline (a full disk, a flaky registry)
 * @param fix how a person would make the pipeline pass: the reference against which the loop's own
 *     fix is compared, and the proof that the scenario is fixable at all
 */
public record Scenario(
    String name,
    String title,
    String description,
    Category expectedCategory,
    Optional<String> expectedPlaybook,
    String expectedAction,
    boolean autoFix,
    Optional<String> awaitingPlaybook,
    World world,
    Fix fix,
    Map<String, String> projectFiles) {
  public Scenario {
    projectFiles = Map.copyOf(projectFiles);
  }

  /** The repository the scenario lives in on the local forge. */
  public String repository() {
    return "lab/" + name;
  }

  /**
   * Faults outside the repository.
   *
   * @param fullDiskAt a path below the runner's tool cache whose writes fail with ENOSPC
   * @param registryResetsFirst how many connections the lab's registry resets before serving
   */
  public record World(Optional<String> fullDiskAt, int registryResetsFirst) {
    public static World none() {
      return new World(Optional.empty(), 0);
    }
  }

  /** A person's fix: a commit, a CI variable, or simply running the pipeline again. */
  public sealed interface Fix {
    /** Commit these files (path → new content) on a branch. */
    record Commit(String message, Map<String, String> files) implements Fix {
      public Commit {
        files = Map.copyOf(files);
      }
    }

    /** Set a repository variable and re-run. */
    record Variable(String name, String value) implements Fix {}

    /** Re-run the failed pipeline on the same commit. */
    record Rerun() implements Fix {}
  }
}

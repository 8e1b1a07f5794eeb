package dev.pitcrew.diagnosis;

import java.util.Optional;

/**
 * What a log belongs to, when the caller knows: the repository (for its daily model budget and the
 * usage stats), the incident (to record the model's cost against it) and the pipeline definition
 * the run executed (a workflow file or {@code .gitlab-ci.yml}, read at the run's commit), which a
 * second-opinion analyzer may show the model. All optional: a log file on its own has none.
 */
public record Subject(
    Optional<String> repository, Optional<String> incidentId, Optional<PipelineFile> pipelineFile) {
  public static final Subject NONE =
      new Subject(Optional.empty(), Optional.empty(), Optional.empty());

  /** A pipeline definition file and its content at the run's commit. */
  public record PipelineFile(String path, String content) {}

  public Subject withPipelineFile(Optional<PipelineFile> f) {
    return new Subject(repository, incidentId, f);
  }
}

package dev.pitcrew.notify;

import dev.pitcrew.forge.PullRequest;
import dev.pitcrew.forge.RepoRef;
import java.util.List;
import java.util.Optional;

/**
 * One message about one remediation action, in our words; each sink renders and escapes it.
 *
 * <p>Everything here except the URLs may carry text from logs, branch names or commit messages, so
 * sinks treat it as hostile and escape it for their own markup.
 *
 * @param kind which template applies
 * @param actionId the remediation action ({@code ra-...})
 * @param repository {@code owner/name}
 * @param branch the failed run's branch
 * @param pipelineId the failed run or pipeline id
 * @param pipelineUrl the failed run's page
 * @param category the failure category ({@code dependency}, ...)
 * @param rootCause one sentence
 * @param evidenceLine the log line that best shows the root cause, with its number ("1234: text")
 * @param riskLevel low, medium or high
 * @param confidence 0..1
 * @param actionTaken what Pitcrew did, or proposes to do
 * @param suggestions suggested next steps for a person
 * @param newPipelineUrl the verifying run, when there is one
 * @param newPipelineStatus passed, failed or running, when known
 * @param pullRequestUrl the pull/merge request carrying the fix, when there is one
 * @param approveUrl where a person approves or rejects, for {@link Kind#AWAITING_APPROVAL}
 * @param timeSavedMinutes estimated manual minutes saved, when auto-fixed
 * @param attempts the attempts so far, for escalations
 * @param repo the repository on its forge, for pull-request comments and incident issues
 * @param failedPullRequest the pull/merge request the failed run belongs to, when it belongs to one
 * @param commitAuthorEmail the failing commit's author, for e-mail to the author
 * @param logsUrl the failed job's log page, when known
 * @param analysisUrl Pitcrew's own page for the action, when known
 * @param incidentUrl the incident ticket opened for an escalation, filled in by the fan-out
 */
public record Notification(
    Kind kind,
    String actionId,
    String repository,
    String branch,
    String pipelineId,
    String pipelineUrl,
    String category,
    String rootCause,
    String evidenceLine,
    String riskLevel,
    double confidence,
    String actionTaken,
    List<String> suggestions,
    Optional<String> newPipelineUrl,
    Optional<String> newPipelineStatus,
    Optional<String> pullRequestUrl,
    Optional<String> approveUrl,
    Optional<Double> timeSavedMinutes,
    List<String> attempts,
    Optional<RepoRef> repo,
    Optional<PullRequest> failedPullRequest,
    Optional<String> commitAuthorEmail,
    Optional<String> logsUrl,
    Optional<String> analysisUrl,
    Optional<String> incidentUrl) {
  public Notification {
    suggestions = List.copyOf(suggestions);
    attempts = List.copyOf(attempts);
    repo = repo == null ? Optional.empty() : repo;
    failedPullRequest = failedPullRequest == null ? Optional.empty() : failedPullRequest;
    commitAuthorEmail = commitAuthorEmail == null ? Optional.empty() : commitAuthorEmail;
    logsUrl = logsUrl == null ? Optional.empty() : logsUrl;
    analysisUrl = analysisUrl == null ? Optional.empty() : analysisUrl;
    incidentUrl = incidentUrl == null ? Optional.empty() : incidentUrl;
  }

  /** The original nineteen fields; the forge context and extra links stay empty. */
  public Notification(
      Kind kind,
      String actionId,
      String repository,
      String branch,
      String pipelineId,
      String pipelineUrl,
      String category,
      String rootCause,
      String evidenceLine,
      String riskLevel,
      double confidence,
      String actionTaken,
      List<String> suggestions,
      Optional<String> newPipelineUrl,
      Optional<String> newPipelineStatus,
      Optional<String> pullRequestUrl,
      Optional<String> approveUrl,
      Optional<Double> timeSavedMinutes,
      List<String> attempts) {
    this(
        kind,
        actionId,
        repository,
        branch,
        pipelineId,
        pipelineUrl,
        category,
        rootCause,
        evidenceLine,
        riskLevel,
        confidence,
        actionTaken,
        suggestions,
        newPipelineUrl,
        newPipelineStatus,
        pullRequestUrl,
        approveUrl,
        timeSavedMinutes,
        attempts,
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty());
  }

  /** The same notification with the forge context that comments and incident issues need. */
  public Notification withForge(
      RepoRef repoRef, Optional<PullRequest> pullRequest, Optional<String> authorEmail) {
    return new Notification(
        kind,
        actionId,
        repository,
        branch,
        pipelineId,
        pipelineUrl,
        category,
        rootCause,
        evidenceLine,
        riskLevel,
        confidence,
        actionTaken,
        suggestions,
        newPipelineUrl,
        newPipelineStatus,
        pullRequestUrl,
        approveUrl,
        timeSavedMinutes,
        attempts,
        Optional.of(repoRef),
        pullRequest,
        authorEmail,
        logsUrl,
        analysisUrl,
        incidentUrl);
  }

  /** The same notification with links to the failed job's log and Pitcrew's analysis page. */
  public Notification withLinks(Optional<String> logs, Optional<String> analysis) {
    return new Notification(
        kind,
        actionId,
        repository,
        branch,
        pipelineId,
        pipelineUrl,
        category,
        rootCause,
        evidenceLine,
        riskLevel,
        confidence,
        actionTaken,
        suggestions,
        newPipelineUrl,
        newPipelineStatus,
        pullRequestUrl,
        approveUrl,
        timeSavedMinutes,
        attempts,
        repo,
        failedPullRequest,
        commitAuthorEmail,
        logs,
        analysis,
        incidentUrl);
  }

  /** The same notification pointing at the incident ticket opened for it. */
  public Notification withIncidentUrl(String url) {
    return new Notification(
        kind,
        actionId,
        repository,
        branch,
        pipelineId,
        pipelineUrl,
        category,
        rootCause,
        evidenceLine,
        riskLevel,
        confidence,
        actionTaken,
        suggestions,
        newPipelineUrl,
        newPipelineStatus,
        pullRequestUrl,
        approveUrl,
        timeSavedMinutes,
        attempts,
        repo,
        failedPullRequest,
        commitAuthorEmail,
        logsUrl,
        analysisUrl,
        Optional.of(url));
  }

  /** The link a reader most wants: the new run, else the pull request, else the failed run. */
  public String primaryLink() {
    return newPipelineUrl.or(() -> pullRequestUrl).orElse(pipelineUrl);
  }

  public enum Kind {
    AUTO_FIXED,
    MANUAL_REVIEW,
    AWAITING_APPROVAL,
    ESCALATED
  }
}

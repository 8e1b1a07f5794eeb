package dev.pitcrew.notify.incident;

import dev.pitcrew.forge.Forge;
import dev.pitcrew.forge.RepoRef;
import dev.pitcrew.notify.DeliveryException;
import dev.pitcrew.notify.Notification;
import dev.pitcrew.notify.Notifier;
import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * The default incident ticket: a GitHub or GitLab issue in the failing repository, through {@link
 * Forge#ensureIssue}, which finds an open issue with the same title before creating one. Its URL is
 * what the action records as {@code incident_url}.
 */
public final class ForgeIssueTracker implements Notifier {
  static final List<String> LABELS = List.of("pitcrew", "incident");
  private final List<Forge> forges;

  /**
   * @param forges the configured forges; the one matching the repository's provider is used
   */
  public ForgeIssueTracker(List<Forge> forges) {
    this.forges = List.copyOf(forges);
  }

  private Optional<Forge> forgeFor(RepoRef repo) {
    return forges.stream().filter(f -> f.provider() == repo.provider()).findFirst();
  }

  @Override
  public String name() {
    return "incident:forge-issue";
  }

  @Override
  public boolean accepts(Notification n) {
    // the workflow's escalation step may have opened the issue already: one ticket, not two
    return n.kind() == Notification.Kind.ESCALATED
        && n.incidentUrl().isEmpty()
        && n.repo().flatMap(this::forgeFor).isPresent();
  }

  @Override
  public Optional<String> deliver(Notification n) throws DeliveryException {
    RepoRef repo =
        n.repo()
            .orElseThrow(() -> new DeliveryException("no repository to open the issue in", false));
    Forge forge =
        forgeFor(repo)
            .orElseThrow(
                () -> new DeliveryException("no " + repo.provider().wire() + " forge", false));
    try {
      String url =
          forge.ensureIssue(repo, IncidentReport.title(n), IncidentReport.markdown(n), LABELS);
      return Optional.of(url);
    } catch (IOException e) {
      throw new DeliveryException(
          "could not open an issue in " + repo.fullName() + ": " + e.getClass().getSimpleName(),
          true,
          Optional.empty(),
          e);
    }
  }
}

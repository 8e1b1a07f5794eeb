package dev.pitcrew.notify.comment;

import dev.pitcrew.forge.Forge;
import dev.pitcrew.forge.PullRequest;
import dev.pitcrew.notify.DeliveryException;
import dev.pitcrew.notify.Notification;
import dev.pitcrew.notify.Notifier;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Comments on the pull/merge request the failed run belongs to, through {@link Forge#comment}, so
 * the author learns where they already are. Only for failures that belong to an open request.
 */
public final class PullRequestCommenter implements Notifier {
  private final List<Forge> forges;

  /**
   * @param forges the configured forges; the one matching the request's provider is used
   */
  public PullRequestCommenter(List<Forge> forges) {
    this.forges = List.copyOf(forges);
  }

  private Optional<Forge> forgeFor(PullRequest pr) {
    return forges.stream().filter(f -> f.provider() == pr.repo().provider()).findFirst();
  }

  /**
   * An invisible line that names the action and the message kind: one comment per action and kind,
   * however often delivery is tried. Action ids are {@code ra-} and hex, so nothing needs escaping.
   */
  static String marker(Notification n) {
    return "<!-- pitcrew:"
        + n.actionId().replaceAll("[^A-Za-z0-9_-]", "")
        + ":"
        + n.kind().name().toLowerCase(Locale.ROOT)
        + " -->";
  }

  @Override
  public String name() {
    return "comment";
  }

  @Override
  public boolean accepts(Notification n) {
    return n.failedPullRequest()
        .filter(
            pr ->
                pr.state() == null
                    || pr.state().equalsIgnoreCase("open")
                    || pr.state().equalsIgnoreCase("opened"))
        .filter(pr -> forgeFor(pr).isPresent())
        .isPresent();
  }

  @Override
  public Optional<String> deliver(Notification n) throws DeliveryException {
    PullRequest pr =
        n.failedPullRequest()
            .orElseThrow(
                () -> new DeliveryException("the failure belongs to no pull request", false));
    Forge forge =
        forgeFor(pr)
            .orElseThrow(
                () -> new DeliveryException("no " + pr.repo().provider().wire() + " forge", false));
    String marker = marker(n);
    try {
      // a step retried after a crash, or a second replica, finds the comment it already left
      for (String existing : forge.comments(pr)) {
        if (existing.contains(marker)) {
          return Optional.empty();
        }
      }
      forge.comment(pr, CommentTemplates.body(n) + "\n" + marker + "\n");
      return Optional.empty();
    } catch (IOException e) {
      throw new DeliveryException(
          "could not comment on "
              + pr.repo().fullName()
              + "#"
              + pr.number()
              + ": "
              + e.getClass().getSimpleName(),
          true,
          Optional.empty(),
          e);
    }
  }
}

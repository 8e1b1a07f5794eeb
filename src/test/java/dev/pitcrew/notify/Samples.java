package dev.pitcrew.notify;

import dev.pitcrew.forge.Provider;
import dev.pitcrew.forge.PullRequest;
import dev.pitcrew.forge.RepoRef;
import java.util.List;
import java.util.Optional;

/** Notifications for tests: the user story's examples and a hostile one. */
public final class Samples {
  private Samples() {}

  public static final RepoRef REPO =
      new RepoRef(Provider.GITHUB, "github.com", "acme/user-service");

  /** Text an attacker can put in a log line, a branch name or a commit message. */
  public static final String HOSTILE =
      "<!channel> <@U024BE7LH> <https://evil.example/x|click me> @here @everyone @octocat "
          + "![img](https://evil.example/p.png) [docs](https://evil.example) https://evil.example/a "
          + "<script>alert(1)</script> <img src=x onerror=alert(1)> &amp; ``` `x` *bold* _it_ ~s~ "
          + "#12 !34 ghp_abcdefghijklmnopqrstuvwxyz0123456789AB\u202Egnp.exe";

  public static final String LONG_LINE = "E".repeat(10_000);

  public static Notification autoFixed() {
    return new Notification(
        Notification.Kind.AUTO_FIXED,
        "ra-0001",
        "acme/user-service",
        "main",
        "12345",
        "https://github.com/acme/user-service/actions/runs/12345",
        "dependency",
        "Missing dependency: requests",
        "347: ModuleNotFoundError: No module named 'requests'",
        "low",
        0.95,
        "Added requests==2.31.0 to requirements.txt",
        List.of(),
        Optional.of("https://github.com/acme/user-service/actions/runs/12346"),
        Optional.of("passed"),
        Optional.of("https://github.com/acme/user-service/pull/88"),
        Optional.empty(),
        Optional.of(15.0),
        List.of());
  }

  public static Notification manualReview() {
    return new Notification(
            Notification.Kind.MANUAL_REVIEW,
            "ra-0002",
            "acme/user-service",
            "main",
            "12345",
            "https://github.com/acme/user-service/actions/runs/12345",
            "code",
            "Database migration failed - constraint violation",
            "1201: ERROR: insert or update on table \"orders\" violates foreign key constraint",
            "high",
            0.87,
            "Nothing changed: a code defect needs a person",
            List.of(
                "Review migration script for data integrity issues",
                "Check production data for constraint violations",
                "Consider data cleanup before migration"),
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            List.of())
        .withLinks(
            Optional.of("https://github.com/acme/user-service/actions/runs/12345/job/7"),
            Optional.of("https://pitcrew.acme.test/api/actions/ra-0002"));
  }

  public static Notification awaitingApproval() {
    return new Notification(
        Notification.Kind.AWAITING_APPROVAL,
        "ra-0003",
        "acme/user-service",
        "feature/login",
        "12400",
        "https://github.com/acme/user-service/actions/runs/12400",
        "dependency",
        "lodash@9.9.9 does not exist",
        "88: npm ERR! notarget No matching version found for lodash@9.9.9",
        "high",
        0.9,
        "Pin lodash to 4.17.21 (major version change)",
        List.of(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.of("https://pitcrew.acme.test/#approve/ra-0003"),
        Optional.empty(),
        List.of());
  }

  public static Notification escalated() {
    return new Notification(
            Notification.Kind.ESCALATED,
            "ra-0004",
            "acme/user-service",
            "feature/login",
            "12500",
            "https://github.com/acme/user-service/actions/runs/12500",
            "test",
            "Flaky test OrderServiceTest.timesOut keeps failing",
            "912: java.util.concurrent.TimeoutException: after 30000 ms",
            "medium",
            0.7,
            "Re-ran the failed jobs three times",
            List.of("Quarantine OrderServiceTest.timesOut", "Look at the test's timeout"),
            Optional.of("https://github.com/acme/user-service/actions/runs/12503"),
            Optional.of("failed"),
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            List.of(
                "1: retry_pipeline → run 12501 failed",
                "2: retry_pipeline → run 12502 failed",
                "3: increase_timeout → run 12503 failed"))
        .withForge(
            REPO,
            Optional.of(
                new PullRequest(
                    REPO,
                    "41",
                    "https://github.com/acme/user-service/pull/41",
                    "feature/login",
                    "main",
                    "open")),
            Optional.of("dev@acme.test"));
  }

  /** Every free-text field carrying {@code text}. */
  public static Notification hostile(Notification.Kind kind, String text) {
    return new Notification(
            kind,
            "ra-0666",
            "acme/" + text,
            text,
            text,
            "https://github.com/acme/user-service/actions/runs/1",
            text,
            text,
            "1: " + text,
            "high",
            0.5,
            text,
            List.of(text, text),
            Optional.of("javascript:alert(1)"),
            Optional.of(text),
            Optional.of("https://github.com/acme/user-service/pull/2"),
            Optional.of("https://pitcrew.acme.test/#approve/ra-0666"),
            Optional.of(5.0),
            List.of(text))
        .withForge(
            REPO,
            Optional.of(
                new PullRequest(
                    REPO, "2", "https://github.com/acme/user-service/pull/2", "x", "main", "open")),
            Optional.of("dev@acme.test"));
  }
}

package dev.pitcrew.remediation.change;

import dev.pitcrew.diagnosis.Diagnosis;
import dev.pitcrew.diagnosis.RiskLevel;
import dev.pitcrew.forge.Forge;
import dev.pitcrew.forge.PullRequest;
import dev.pitcrew.forge.RunRef;
import dev.pitcrew.remediation.Outcome;
import dev.pitcrew.remediation.Plan;
import dev.pitcrew.remediation.Plans;
import dev.pitcrew.remediation.RemediationContext;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Delivers a plan's file changes as a branch, a commit and a pull/merge request. Every step looks
 * at the forge first, so a retry after a crash between "branch created" and "PR opened" finishes
 * with one branch, one commit and one pull request. Never commits to the failing branch itself.
 */
public final class ChangeDelivery {
  /** The label every Pitcrew pull request carries. */
  public static final String LABEL = "pitcrew";

  private ChangeDelivery() {}

  /** {@code pitcrew/<incident-id>-<action>}, with anything but [A-Za-z0-9._-] replaced. */
  public static String branchName(String incidentId, String action) {
    String raw = incidentId + "-" + action;
    StringBuilder b = new StringBuilder("pitcrew/");
    for (char c : raw.toCharArray()) {
      boolean ok =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || c == '.'
              || c == '_'
              || c == '-';
      b.append(ok ? c : '-');
    }
    String name = b.toString().replace("..", "-");
    return name.length() > 100 ? name.substring(0, 100) : name;
  }

  /** The forge calls {@link #deliver} makes, for the plan. */
  public static List<String> describe(
      RemediationContext ctx, String action, String title, List<String> paths) {
    String branch = branchName(ctx.incidentId(), action);
    return List.of(
        "create branch " + branch + " from " + ctx.run().sha() + " unless it exists",
        "commit " + String.join(", ", paths) + " on " + branch + " unless already committed",
        "open a pull request from "
            + branch
            + " into "
            + ctx.run().branch()
            + " titled \""
            + title
            + "\" with label "
            + LABEL
            + " unless one is open");
  }

  /**
   * A plan that changes files through a pull request: the diffs, the forge calls {@link #deliver}
   * will make, and the pull request's title and body.
   */
  public static Plan filePlan(
      Diagnosis d,
      RemediationContext ctx,
      String action,
      RiskLevel risk,
      String summary,
      List<Plan.FileChange> changes,
      Map<String, String> params,
      String fix) {
    Map<String, String> p = Plans.withPullRequestText(params, d, summary, fix, ctx.run().url());
    List<String> paths = changes.stream().map(Plan.FileChange::path).toList();
    return new Plan(
        action, risk, summary, changes, describe(ctx, action, p.get(Plans.PR_TITLE), paths), p);
  }

  /** Applies the plan's file changes through the forge. */
  public static Outcome deliver(Plan plan, RemediationContext ctx) throws IOException {
    if (plan.fileChanges().isEmpty()) {
      return Plans.nothing("the plan changes no files");
    }
    Forge forge = ctx.forge();
    String branch = branchName(ctx.incidentId(), plan.action());
    String base = ctx.run().branch();
    if (branch.equals(base)) {
      return Plans.failed("refusing to commit to the failing branch " + base + " itself");
    }
    forge.ensureBranch(ctx.repo(), branch, ctx.run().sha());
    Map<String, String> pending = new LinkedHashMap<>();
    for (Plan.FileChange fc : plan.fileChanges()) {
      Optional<String> onBranch = forge.fileContent(ctx.repo(), fc.path(), branch);
      if (onBranch.isPresent() && onBranch.get().equals(fc.after())) {
        continue; // an earlier attempt committed it already
      }
      if (onBranch.isPresent() && !onBranch.get().equals(fc.before())) {
        return Plans.failed(
            fc.path()
                + " changed on "
                + branch
                + " since the plan was made; re-plan instead of overwriting it");
      }
      pending.put(fc.path(), fc.after());
    }
    String title = plan.params().getOrDefault(Plans.PR_TITLE, "pitcrew: " + plan.summary());
    String body = plan.params().getOrDefault(Plans.PR_BODY, plan.summary());
    String detail;
    String sha = null;
    if (pending.isEmpty()) {
      detail = "the change was already committed on " + branch;
    } else {
      sha = forge.commitFiles(ctx.repo(), branch, title, pending);
      detail = "committed " + String.join(", ", pending.keySet()) + " as " + sha + " on " + branch;
    }
    if (ctx.reproduction().isPresent()) {
      Reproduced r = reproduce(ctx, branch, body);
      body = r.body();
      detail += r.detail();
    }
    PullRequest pr = forge.ensurePullRequest(ctx.repo(), branch, base, title, body, List.of(LABEL));
    // the push (or, for workflows that run on pull requests only, the pull request) starts the
    // run of the failed workflow on the fix: that run verifies it. Looked up after the pull
    // request is open so both kinds are found; the forges poll briefly, as runs appear late.
    Optional<RunRef> newRun =
        sha == null ? Optional.empty() : forge.runForCommit(ctx.repo(), sha, ctx.run().workflow());
    return new Outcome(
        Outcome.Status.APPLIED, detail + "; pull request " + pr.url(), newRun, Optional.of(pr));
  }

  private record Reproduced(String body, String detail) {}

  /**
   * Runs the failing step in a scratch checkout of the branch and puts the result at the top of the
   * pull request body's "Verification" section. A reproduction that cannot run leaves the body as
   * it was: it informs the reviewer, it never blocks the fix.
   */
  private static Reproduced reproduce(RemediationContext ctx, String branch, String body) {
    Optional<Reproduction.Result> r;
    try {
      r = ctx.reproduction().get().reproduce(ctx, branch);
    } catch (IOException | RuntimeException e) {
      return new Reproduced(body, "; not reproduced locally (" + e.getMessage() + ")");
    }
    if (r.isEmpty()) {
      return new Reproduced(body, "");
    }
    String section = Reproduction.markdown(r.get(), branch);
    String header = "## Verification\n\n";
    int at = body.indexOf(header);
    String withResult =
        at < 0
            ? body + "\n" + header + section
            : body.substring(0, at + header.length())
                + section
                + body.substring(at + header.length());
    return new Reproduced(
        withResult,
        "; reproduced locally: "
            + (r.get().timedOut() ? "timed out" : "exit code " + r.get().exitCode()));
  }
}

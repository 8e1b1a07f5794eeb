package dev.pitcrew.reliability;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pitcrew.forge.Payloads;
import dev.pitcrew.intake.Signatures;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Signed {@code workflow_run} deliveries built from GitHub's own example payload
 * (src/test/resources/webhooks/github/workflow_run/01_completed.json, from octokit/webhooks; see
 * the README there): every field is as GitHub sends it except the run id, which makes each failure
 * distinct, and the conclusion. About 22 KB each.
 */
final class GitHubDeliveries {
  private static final String MARK = "987654321987";
  private final byte[][] failure;
  private final byte[][] success;
  private final String secret;
  private final String base;

  GitHubDeliveries(String base, String secret) {
    this.base = base;
    this.secret = secret;
    this.failure = template("failure");
    this.success = template("success");
  }

  private static byte[][] template(String conclusion) {
    ObjectNode p = Payloads.workflowRun(conclusion);
    ((ObjectNode) p.get("workflow_run")).put("id", Long.parseLong(MARK));
    String s = new String(Payloads.bytes(p), StandardCharsets.UTF_8);
    int at = s.indexOf(MARK);
    if (at < 0 || s.indexOf(MARK, at + 1) >= 0) {
      throw new IllegalStateException("the run id marker must occur exactly once");
    }
    return new byte[][] {
      s.substring(0, at).getBytes(StandardCharsets.UTF_8),
      s.substring(at + MARK.length()).getBytes(StandardCharsets.UTF_8)
    };
  }

  /** The body of run {@code runId} with the given outcome. */
  byte[] body(long runId, boolean failed) {
    byte[][] t = failed ? failure : success;
    ByteArrayOutputStream out = new ByteArrayOutputStream(t[0].length + t[1].length + 20);
    out.writeBytes(t[0]);
    out.writeBytes(Long.toString(runId).getBytes(StandardCharsets.US_ASCII));
    out.writeBytes(t[1]);
    return out.toByteArray();
  }

  /**
   * A failed job of run {@code runId} (GitHub's own completed-failure {@code workflow_job} example,
   * src/test/resources/webhooks/github/workflow_job/01_completed.json, with its run and job ids
   * changed): one of the deliveries a failing matrix sends, one per job.
   */
  static byte[] failedJob(long runId, long jobId) {
    ObjectNode p = Payloads.load("github/workflow_job/01_completed.json");
    ((ObjectNode) p.get("workflow_job")).put("run_id", runId).put("id", jobId);
    return Payloads.bytes(p);
  }

  /** A signed {@code workflow_run} POST to /webhooks/github. */
  HttpRequest request(String deliveryId, byte[] body) {
    return request("workflow_run", deliveryId, body);
  }

  /** A signed POST of the given event to /webhooks/github. */
  HttpRequest request(String event, String deliveryId, byte[] body) {
    return HttpRequest.newBuilder(URI.create(base + "/webhooks/github"))
        .timeout(Duration.ofSeconds(10))
        .header("Content-Type", "application/json")
        .header("User-Agent", "GitHub-Hookshot/reliability")
        .header("X-GitHub-Event", event)
        .header("X-GitHub-Delivery", deliveryId)
        .header("X-Hub-Signature-256", Signatures.githubHeader(secret, body))
        .POST(HttpRequest.BodyPublishers.ofByteArray(body))
        .build();
  }
}

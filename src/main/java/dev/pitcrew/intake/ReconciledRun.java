package dev.pitcrew.intake;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pitcrew.forge.CiEvent;
import dev.pitcrew.forge.Provider;
import dev.pitcrew.forge.RepoRef;
import dev.pitcrew.forge.RunRef;
import java.time.Instant;
import java.util.Locale;

/**
 * How a failed run found by the reconciler is kept in the inbox: our own words as JSON (the forge's
 * list answers are not webhook payloads), read back by the inbox processor into the same {@link
 * CiEvent.RunFailed} that the webhook would have given.
 */
public final class ReconciledRun {
  /** The inbox's provider column for reconciled runs. */
  public static final String PROVIDER = "reconciler";

  /** The inbox's event column for reconciled runs. */
  public static final String EVENT = "run_failed";

  private static final ObjectMapper JSON = new ObjectMapper();

  private ReconciledRun() {}

  static String encode(CiEvent.RunFailed f) {
    ObjectNode o = JSON.createObjectNode();
    RepoRef repo = f.run().repo();
    o.put("provider", repo.provider().wire());
    o.put("host", repo.host());
    o.put("repository", repo.fullName());
    o.put("project_id", repo.projectId());
    o.put("run_id", f.run().runId());
    o.put("attempt", f.run().attempt());
    o.put("branch", f.branch());
    o.put("sha", f.sha());
    o.put("workflow", f.workflow());
    o.put("url", f.url());
    o.put("actor", f.actor());
    o.put("from_fork", f.fromFork());
    o.put("failed_job_id", f.failedJobId());
    o.put("at", f.at() == null ? null : f.at().toString());
    return o.toString();
  }

  static CiEvent.RunFailed decode(JsonNode o) {
    String provider = required(o, "provider");
    RepoRef repo =
        new RepoRef(
            Provider.valueOf(provider.toUpperCase(Locale.ROOT)),
            required(o, "host"),
            required(o, "repository"),
            o.path("project_id").asText(null));
    String at = o.path("at").asText(null);
    return new CiEvent.RunFailed(
        new RunRef(repo, required(o, "run_id"), o.path("attempt").asInt(1)),
        o.path("branch").asText(null),
        o.path("sha").asText(null),
        o.path("workflow").asText(null),
        o.path("url").asText(null),
        o.path("actor").asText(null),
        o.path("from_fork").asBoolean(false),
        o.path("failed_job_id").asText(null),
        at == null ? null : Instant.parse(at));
  }

  private static String required(JsonNode o, String field) {
    JsonNode v = o.get(field);
    if (v == null || v.isNull() || v.asText().isEmpty()) {
      throw new IllegalArgumentException("the reconciled run has no '" + field + "'");
    }
    return v.asText();
  }
}

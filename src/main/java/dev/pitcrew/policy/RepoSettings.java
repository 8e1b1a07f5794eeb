package dev.pitcrew.policy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.pitcrew.diagnosis.RiskLevel;
import java.io.IOException;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * What a repository's own {@code .pitcrew.yml} says about remediation. It can only opt out or
 * tighten the global policy, never loosen it:
 *
 * <pre>
 * enabled: false                 # Pitcrew leaves this repository alone
 * remediation:
 *   require_approval: medium     # none | high (default) | medium | all
 *   deny_actions: [set_ci_variable]
 *   workflow_changes: ask        # ask (default) | allow | deny
 * </pre>
 *
 * @param approvalFrom the lowest risk that waits for approval; empty when nothing does (never
 *     looser than the default, high)
 */
public record RepoSettings(
    boolean enabled,
    Optional<RiskLevel> approvalFrom,
    Set<String> deniedActions,
    WorkflowChanges workflowChanges) {

  /** What to do with a plan that edits CI configuration files. */
  public enum WorkflowChanges {
    ALLOW,
    ASK,
    DENY
  }

  public static final String FILE = ".pitcrew.yml";

  public static final RepoSettings DEFAULT =
      new RepoSettings(true, Optional.of(RiskLevel.HIGH), Set.of(), WorkflowChanges.ASK);

  public RepoSettings {
    deniedActions = Set.copyOf(deniedActions);
  }

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  /** Parses the file's text; a bad value is an error that names the key and the allowed values. */
  public static RepoSettings parse(String yaml) {
    JsonNode root;
    try {
      root = YAML.readTree(yaml);
    } catch (IOException e) {
      throw new IllegalArgumentException(FILE + " is not valid YAML: " + e.getMessage(), e);
    }
    if (root == null || root.isMissingNode() || root.isNull()) {
      return DEFAULT;
    }
    if (!root.isObject()) {
      throw new IllegalArgumentException(FILE + " must be a mapping of settings");
    }
    boolean enabled = true;
    JsonNode en = root.get("enabled");
    if (en != null) {
      if (!en.isBoolean()) {
        throw new IllegalArgumentException(FILE + ": 'enabled' must be true or false");
      }
      enabled = en.booleanValue();
    }
    JsonNode r = root.path("remediation");
    Optional<RiskLevel> from = DEFAULT.approvalFrom();
    JsonNode ra = r.get("require_approval");
    if (ra != null) {
      String v = ra.asText().trim().toLowerCase(Locale.ROOT);
      from =
          switch (v) {
            case "none", "high" -> Optional.of(RiskLevel.HIGH); // "none" cannot loosen the default
            case "medium" -> Optional.of(RiskLevel.MEDIUM);
            case "all", "low" -> Optional.of(RiskLevel.LOW);
            default ->
                throw new IllegalArgumentException(
                    FILE
                        + ": remediation.require_approval is '"
                        + v
                        + "'; use high, medium or all");
          };
    }
    Set<String> denied = new LinkedHashSet<>();
    JsonNode da = r.get("deny_actions");
    if (da != null) {
      if (!da.isArray()) {
        throw new IllegalArgumentException(
            FILE + ": remediation.deny_actions must be a list of action names");
      }
      da.forEach(n -> denied.add(n.asText().trim()));
    }
    WorkflowChanges wc = DEFAULT.workflowChanges();
    JsonNode w = r.get("workflow_changes");
    if (w != null) {
      try {
        wc = WorkflowChanges.valueOf(w.asText().trim().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            FILE + ": remediation.workflow_changes is '" + w.asText() + "'; use ask, allow or deny",
            e);
      }
    }
    return new RepoSettings(enabled, from, denied, wc);
  }
}

package dev.pitcrew.diagnosis.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pitcrew.diagnosis.Category;
import dev.pitcrew.diagnosis.Evidence;
import dev.pitcrew.diagnosis.RiskLevel;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a model proposed, parsed from its JSON answer and checked for shape only. Whether it is true
 * (grounding) and whether it is allowed (containment) is decided elsewhere.
 */
public record Proposal(
    String rootCause,
    Category category,
    RiskLevel riskLevel,
    String remediationStrategy,
    Map<String, String> remediationParams,
    double confidence,
    String explanation,
    List<Evidence> evidence) {

  /** The same proposal citing other lines. */
  Proposal withEvidence(List<Evidence> cited) {
    return new Proposal(
        rootCause,
        category,
        riskLevel,
        remediationStrategy,
        remediationParams,
        confidence,
        explanation,
        cited);
  }

  static final int MAX_TEXT = 2000;
  static final int MAX_EVIDENCE = 10;
  private static final ObjectMapper MAPPER = new ObjectMapper();

  public Proposal {
    remediationParams = Map.copyOf(remediationParams);
    evidence = List.copyOf(evidence);
  }

  /** The answer was not the JSON the prompt asked for; the message says what was wrong. */
  public static final class Malformed extends Exception {
    private static final long serialVersionUID = 1L;

    Malformed(String message) {
      super(message);
    }
  }

  /** Parses the model's answer: one JSON object, optionally inside a Markdown fence. */
  public static Proposal parse(String answer) throws Malformed {
    if (answer == null || answer.isBlank()) {
      throw new Malformed("the answer was empty");
    }
    int open = answer.indexOf('{');
    int close = answer.lastIndexOf('}');
    if (open < 0 || close < open) {
      throw new Malformed("the answer holds no JSON object");
    }
    JsonNode n;
    try {
      n = MAPPER.readTree(answer.substring(open, close + 1));
    } catch (Exception e) {
      throw new Malformed("the answer is not valid JSON: " + firstLine(e.getMessage()));
    }
    if (!n.isObject()) {
      throw new Malformed("the answer is not a JSON object");
    }
    String rootCause = text(n, "root_cause", true);
    Category category;
    RiskLevel risk;
    try {
      category = Category.parse(text(n, "category", true));
      risk = RiskLevel.parse(text(n, "risk_level", true));
    } catch (IllegalArgumentException e) {
      throw new Malformed(e.getMessage());
    }
    String strategy = text(n, "remediation_strategy", true).strip();
    Map<String, String> params = new LinkedHashMap<>();
    JsonNode p = n.path("remediation_params");
    if (!p.isMissingNode() && !p.isNull()) {
      if (!p.isObject()) {
        throw new Malformed("remediation_params must be an object of names to values");
      }
      for (var it = p.properties().iterator(); it.hasNext(); ) {
        var e = it.next();
        JsonNode v = e.getValue();
        if (v.isNull()) {
          continue;
        }
        if (!v.isValueNode()) {
          throw new Malformed("remediation_params." + e.getKey() + " must be a string or number");
        }
        params.put(e.getKey(), v.asText());
      }
    }
    JsonNode c = n.path("confidence");
    if (!c.isNumber() || c.asDouble() < 0 || c.asDouble() > 1 || Double.isNaN(c.asDouble())) {
      throw new Malformed("confidence must be a number from 0 to 1");
    }
    String explanation = text(n, "explanation", false);
    List<Evidence> evidence = new ArrayList<>();
    JsonNode ev = n.path("evidence");
    if (ev.isArray()) {
      for (JsonNode e : ev) {
        if (evidence.size() >= MAX_EVIDENCE) {
          break;
        }
        if (!e.path("line").canConvertToInt() || !e.path("text").isTextual()) {
          throw new Malformed("each evidence entry needs an integer 'line' and a string 'text'");
        }
        evidence.add(new Evidence(e.path("line").asInt(), cap(e.path("text").asText())));
      }
    } else if (!ev.isMissingNode() && !ev.isNull()) {
      throw new Malformed("evidence must be a list of {line, text}");
    }
    return new Proposal(
        cap(rootCause), category, risk, strategy, params, c.asDouble(), cap(explanation), evidence);
  }

  private static String text(JsonNode n, String field, boolean required) throws Malformed {
    JsonNode v = n.path(field);
    if (v.isMissingNode() || v.isNull()) {
      if (required) {
        throw new Malformed("the answer lacks '" + field + "'");
      }
      return "";
    }
    if (!v.isTextual()) {
      throw new Malformed("'" + field + "' must be a string");
    }
    return v.asText();
  }

  private static String cap(String s) {
    return s.length() <= MAX_TEXT ? s : s.substring(0, MAX_TEXT - 1) + "…";
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "unparseable";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}

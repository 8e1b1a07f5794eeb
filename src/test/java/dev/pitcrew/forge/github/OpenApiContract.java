package dev.pitcrew.forge.github;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks requests against GitHub's OpenAPI description (the extract in openapi-extract.json): the
 * path and method must be a documented operation, query parameters must be documented ones with the
 * required ones present, and a JSON body must validate against the operation's request schema.
 */
final class OpenApiContract {
  record Operation(
      String method,
      String path,
      Pattern regex,
      String id,
      Set<String> query,
      Set<String> requiredQuery,
      Schema body) {}

  static final List<Operation> OPERATIONS = load();

  private OpenApiContract() {}

  private static List<Operation> load() {
    try (InputStream in = OpenApiContract.class.getResourceAsStream("openapi-extract.json")) {
      JsonNode root = GitHubSim.JSON.readTree(in);
      SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_4);
      List<Operation> out = new ArrayList<>();
      for (JsonNode op : root.path("operations")) {
        String path = op.path("path").asText();
        // {path} and {ref} carry slashes (contents paths, heads/branch/with/slashes)
        String regex =
            path.replaceAll("\\{(path|ref)}", "(.+)").replaceAll("\\{[a-z_]+}", "([^/]+)");
        Set<String> query = new java.util.HashSet<>();
        Set<String> required = new java.util.HashSet<>();
        for (JsonNode p : op.path("parameters")) {
          if (p.path("in").asText().equals("query")) {
            query.add(p.path("name").asText());
            if (p.path("required").asBoolean()) {
              required.add(p.path("name").asText());
            }
          }
        }
        Schema body =
            op.path("requestBody").isObject()
                ? registry.getSchema(GitHubSim.JSON.writeValueAsString(op.path("requestBody")))
                : null;
        out.add(
            new Operation(
                op.path("method").asText(),
                path,
                Pattern.compile(regex),
                op.path("operationId").asText(),
                query,
                required,
                body));
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The problems with one request, empty when it conforms. */
  static List<String> problems(String method, String path, Map<String, String> query, byte[] body) {
    List<String> out = new ArrayList<>();
    Operation match = null;
    for (Operation o : OPERATIONS) {
      if (o.method().equals(method) && o.regex().matcher(path).matches()) {
        // prefer the template with more literal segments (jobs/{id}/logs over contents/{path})
        if (match == null || literalLength(o.path()) > literalLength(match.path())) {
          match = o;
        }
      }
    }
    if (match == null) {
      out.add(method + " " + path + " is not a documented GitHub operation");
      return out;
    }
    for (String q : query.keySet()) {
      if (!match.query().contains(q)) {
        out.add(match.id() + ": query parameter '" + q + "' is not documented");
      }
    }
    for (String q : match.requiredQuery()) {
      if (!query.containsKey(q)) {
        out.add(match.id() + ": required query parameter '" + q + "' is missing");
      }
    }
    if (body != null && body.length > 0) {
      if (match.body() == null) {
        out.add(match.id() + " takes no request body");
      } else {
        try {
          JsonNode n = GitHubSim.JSON.readTree(body);
          for (Error e :
              match
                  .body()
                  .validate(
                      GitHubSim.JSON.writeValueAsString(n),
                      com.networknt.schema.InputFormat.JSON)) {
            out.add(match.id() + ": " + e.getMessage());
          }
        } catch (IOException e) {
          out.add(match.id() + ": body is not JSON");
        }
      }
    }
    return out;
  }

  private static int literalLength(String template) {
    return template.replaceAll("\\{[a-z_]+}", "").length();
  }
}

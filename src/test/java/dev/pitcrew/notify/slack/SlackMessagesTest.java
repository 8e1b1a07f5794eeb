package dev.pitcrew.notify.slack;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.pitcrew.notify.Notification;
import dev.pitcrew.notify.Samples;
import dev.pitcrew.notify.SecretScrubber;
import dev.pitcrew.notify.Snapshots;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class SlackMessagesTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Schema SLACK_OPENAPI = schema("slack-openapi-blocks.schema.json");
  private static final Schema BLOCK_KIT = schema("block-kit-limits.schema.json");

  @Test
  void autoFixedFollowsTheUserStoryTemplate() throws IOException {
    JsonNode p = JSON.readTree(SlackMessages.render(Samples.autoFixed()));
    String all = p.toString();
    assertThat(p.at("/blocks/0/text/text").asText()).isEqualTo("🔧 Pipeline Auto-Fixed");
    assertThat(all)
        .contains("*Repository*\\nacme/user-service")
        .contains("*Branch*\\nmain")
        .contains("*Pipeline*\\n#12345")
        .contains("*Root Cause*: Missing dependency: requests")
        .contains("*Fix Applied*: Added requests==2.31.0 to requirements.txt")
        .contains("*New Pipeline*: ✅ Passed")
        .contains("Time saved: ~15 minutes")
        .contains("ModuleNotFoundError: No module named 'requests'");
    assertThat(buttons(p))
        .containsExactly(
            "View Pipeline=https://github.com/acme/user-service/actions/runs/12346",
            "View Changes=https://github.com/acme/user-service/pull/88",
            "View Failed Run=https://github.com/acme/user-service/actions/runs/12345");
    assertValid(p);
  }

  @Test
  void manualReviewFollowsTheUserStoryTemplate() throws IOException {
    JsonNode p = JSON.readTree(SlackMessages.render(Samples.manualReview()));
    assertThat(p.at("/blocks/0/text/text").asText())
        .isEqualTo("⚠️ Pipeline Failure - Manual Review Needed");
    assertThat(p.toString())
        .contains("*Root Cause*: Database migration failed - constraint violation")
        .contains("*Risk Level*: High")
        .contains("*Confidence*: 87%")
        .contains("*Suggested Actions*:\\n1. Review migration script for data integrity issues")
        .contains("3. Consider data cleanup before migration");
    assertThat(buttons(p))
        .extracting(b -> b.substring(0, b.indexOf('=')))
        .containsExactly("View Pipeline", "View Logs", "View Analysis");
    assertValid(p);
  }

  @Test
  void awaitingApprovalLinksToTheApproval() throws IOException {
    JsonNode p = JSON.readTree(SlackMessages.render(Samples.awaitingApproval()));
    assertThat(buttons(p))
        .first()
        .isEqualTo("Review and Approve=https://pitcrew.acme.test/#approve/ra-0003");
    assertThat(p.toString()).contains("*Proposed Fix*: Pin lodash to 4.17.21");
    assertValid(p);
  }

  @Test
  void escalationListsEveryAttemptAndLinksTheIncident() throws IOException {
    Notification n =
        Samples.escalated().withIncidentUrl("https://github.com/acme/user-service/issues/9");
    JsonNode p = JSON.readTree(SlackMessages.render(n));
    assertThat(p.toString())
        .contains("*Attempts* (3):")
        .contains("3. 3: increase_timeout → run 12503 failed");
    assertThat(buttons(p))
        .first()
        .isEqualTo("View Incident=https://github.com/acme/user-service/issues/9");
    assertValid(p);
  }

  @ParameterizedTest
  @EnumSource(Notification.Kind.class)
  void hostileTextCannotMentionLinkOrBreakOutOfTheEvidenceBlock(Notification.Kind kind)
      throws IOException {
    Notification n = SecretScrubber.patternsOnly().scrub(Samples.hostile(kind, Samples.HOSTILE));
    String body = SlackMessages.render(n);
    JsonNode p = JSON.readTree(body);
    assertValid(p);
    for (String text : mrkdwnTexts(p)) {
      assertThat(text).doesNotContain("<!", "<@", "<http", "<script", "<img");
      // Slack neither links nor mentions inside a code block; outside one, these are defanged
      String outsideCode = text.replaceAll("(?s)```.*?```", "");
      assertThat(outsideCode).doesNotContain("://evil", "www.", "@here", "@everyone", "@octocat");
      assertThat(text).doesNotContain("ghp_abcdefghij");
      assertThat(text).doesNotContain("\u202E");
      // evidence stays inside one code block: exactly two fences per block
      if (text.startsWith("*Evidence*")) {
        assertThat(text.split("```", -1)).hasSize(3);
      }
    }
    // javascript: links never become buttons
    assertThat(body).doesNotContain("javascript:");
    Snapshots.assertMatches(
        "slack-hostile-" + kind.name().toLowerCase(java.util.Locale.ROOT) + ".json",
        JSON.writerWithDefaultPrettyPrinter().writeValueAsString(p) + "\n");
  }

  @Test
  void tenThousandCharacterLinesStayWithinSlackLimits() throws IOException {
    for (Notification.Kind kind : Notification.Kind.values()) {
      JsonNode p = JSON.readTree(SlackMessages.render(Samples.hostile(kind, Samples.LONG_LINE)));
      assertValid(p);
      assertThat(p.toString().length()).isLessThan(20_000);
    }
  }

  @Test
  void theSchemasRejectWhatSlackRejects() throws IOException {
    // the schemas must be able to fail: an over-long header and a block without a type
    JsonNode bad =
        JSON.readTree(
            "{\"text\":\"x\",\"blocks\":[{\"type\":\"header\",\"text\":{\"type\":\"plain_text\",\"text\":\""
                + "h".repeat(151)
                + "\"}},{\"text\":\"no type\"}]}");
    assertThat(BLOCK_KIT.validate(j3(bad))).isNotEmpty();
    assertThat(SLACK_OPENAPI.validate(j3(bad))).isNotEmpty();
  }

  private static void assertValid(JsonNode p) {
    assertThat(SLACK_OPENAPI.validate(j3(p))).as("Slack OpenAPI blocks").isEmpty();
    assertThat(BLOCK_KIT.validate(j3(p))).as("Block Kit limits").isEmpty();
  }

  // the schema validator reads Jackson 3 trees
  private static tools.jackson.databind.JsonNode j3(JsonNode node) {
    return new tools.jackson.databind.ObjectMapper().readTree(node.toString());
  }

  private static List<String> buttons(JsonNode p) {
    List<String> out = new ArrayList<>();
    for (JsonNode b : p.get("blocks")) {
      if (b.path("type").asText().equals("actions")) {
        for (JsonNode e : b.get("elements")) {
          out.add(e.at("/text/text").asText() + "=" + e.get("url").asText());
        }
      }
    }
    return out;
  }

  private static List<String> mrkdwnTexts(JsonNode p) {
    List<String> out = new ArrayList<>();
    out.add(p.get("text").asText());
    p.get("blocks").forEach(b -> collect(b, out));
    return out;
  }

  private static void collect(JsonNode node, List<String> out) {
    if (node.isObject() && "mrkdwn".equals(node.path("type").asText())) {
      out.add(node.get("text").asText());
    }
    node.forEach(child -> collect(child, out));
  }

  private static Schema schema(String name) {
    try (InputStream in = SlackMessagesTest.class.getResourceAsStream(name)) {
      String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_7).getSchema(text);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}

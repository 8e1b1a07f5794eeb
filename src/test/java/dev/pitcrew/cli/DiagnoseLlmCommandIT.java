package dev.pitcrew.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code pitcrew diagnose} with a model configured: off, unreachable, or switched off per call. */
class DiagnoseLlmCommandIT {
  @TempDir Path dir;

  static final String LOG =
      """
      ##[group]Run ./gradlew frobnicate
      FrobnicatorError: widget count 7 exceeds the quota of 5 set in frob.conf
      ##[error]Process completed with exit code 3.
      """;

  record Run(int status, String out, String err) {}

  static Run run(Map<String, String> env, String... args) {
    var cl = Cli.commandLine(env);
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    int status = cl.execute(args);
    return new Run(status, out.toString(), err.toString());
  }

  Path log() throws Exception {
    Path p = dir.resolve("job.log");
    Files.writeString(p, LOG);
    return p;
  }

  @Test
  void offIsTheSameAsNoLlmEvenWithAKey() throws Exception {
    Path p = log();
    Run off =
        run(
            Map.of("PITCREW_LLM", "off", "ANTHROPIC_API_KEY", "sk-ant-x"),
            "diagnose",
            "--json",
            p.toString());
    Run none = run(Map.of(), "diagnose", "--json", "--no-llm", p.toString());
    assertThat(off.status()).isZero();
    assertThat(off.out()).isEqualTo(none.out());
  }

  @Test
  void anUnreachableModelGivesTheRulesVerdictWithANote() throws Exception {
    Path p = log();
    Run llm =
        run(
            Map.of(
                "PITCREW_LLM", "openai",
                "PITCREW_LLM_BASE_URL", "http://127.0.0.1:9/v1",
                "PITCREW_LLM_MODEL", "m",
                "PITCREW_LLM_TIMEOUT_SECONDS", "2"),
            "diagnose",
            "--json",
            p.toString());
    Run none = run(Map.of(), "diagnose", "--json", "--no-llm", p.toString());
    ObjectMapper m = new ObjectMapper();
    ObjectNode a = (ObjectNode) m.readTree(llm.out());
    ObjectNode b = (ObjectNode) m.readTree(none.out());
    assertThat(a.get("notes").toString()).contains("llm unavailable");
    a.remove("notes");
    b.remove("notes");
    assertThat(a).isEqualTo(b);
  }

  @Test
  void aBadProviderNameSaysWhatToSet() throws Exception {
    Run r = run(Map.of("PITCREW_LLM", "gpt"), "diagnose", "--json", log().toString());
    assertThat(r.status()).isEqualTo(1);
    assertThat(r.err())
        .contains("PITCREW_LLM='gpt' is not understood; use anthropic, openai or off");
  }
}

package dev.pitcrew.forge.github;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The contract check itself must be able to fail, or the conformance IT proves nothing. */
class OpenApiContractTest {
  static byte[] json(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void acceptsADocumentedCallWithAValidBody() {
    assertThat(
            OpenApiContract.problems(
                "POST",
                "/repos/o/r/pulls",
                Map.of(),
                json("{\"title\":\"t\",\"head\":\"h\",\"base\":\"main\",\"body\":\"b\"}")))
        .isEmpty();
    assertThat(
            OpenApiContract.problems(
                "GET", "/repos/o/r/git/ref/heads/pitcrew/fix-1", Map.of(), null))
        .isEmpty();
  }

  @Test
  void rejectsAnUndocumentedPathOrMethod() {
    assertThat(OpenApiContract.problems("GET", "/repos/o/r/actions/runz/1", Map.of(), null))
        .singleElement()
        .asString()
        .contains("not a documented GitHub operation");
    assertThat(OpenApiContract.problems("DELETE", "/repos/o/r/pulls", Map.of(), null)).hasSize(1);
  }

  @Test
  void rejectsAnUndocumentedQueryParameter() {
    assertThat(
            OpenApiContract.problems("GET", "/repos/o/r/pulls", Map.of("head_branch", "x"), null))
        .singleElement()
        .asString()
        .contains("'head_branch' is not documented");
  }

  @Test
  void rejectsABodyThatBreaksTheRequestSchema() {
    assertThat(
            OpenApiContract.problems(
                "POST", "/repos/o/r/pulls", Map.of(), json("{\"title\":\"t\",\"head\":\"h\"}")))
        .anySatisfy(p -> assertThat(p).contains("base"));
    assertThat(
            OpenApiContract.problems(
                "POST",
                "/repos/o/r/git/refs",
                Map.of(),
                json("{\"ref\":\"refs/heads/x\",\"sha\":5}")))
        .isNotEmpty();
  }
}

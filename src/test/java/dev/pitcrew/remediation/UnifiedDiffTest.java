package dev.pitcrew.remediation;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class UnifiedDiffTest {
  @Test
  void showsAnAddedLineWithThreeLinesOfContext() {
    String before = "a\nb\nc\nd\ne\nf\n";
    String after = "a\nb\nc\nd\nX\ne\nf\n";
    assertThat(UnifiedDiff.of("req.txt", before, after))
        .isEqualTo(
            """
            --- a/req.txt
            +++ b/req.txt
            @@ -2,5 +2,6 @@
             b
             c
             d
            +X
             e
             f
            """);
  }

  @Test
  void equalTextsGiveNoDiff() {
    assertThat(UnifiedDiff.of("x", "same\n", "same\n")).isEmpty();
  }

  @Test
  void marksAMissingFinalNewline() {
    String diff = UnifiedDiff.of("f", "a", "a\nb\n");
    assertThat(diff)
        .isEqualTo(
            """
            --- a/f
            +++ b/f
            @@ -1 +1,2 @@
            -a
            \\ No newline at end of file
            +a
            +b
            """);
  }

  @Test
  void farApartChangesMakeTwoHunks() {
    StringBuilder a = new StringBuilder();
    for (int i = 1; i <= 20; i++) {
      a.append("line").append(i).append('\n');
    }
    String before = a.toString();
    String after = before.replace("line2\n", "two\n").replace("line18\n", "eighteen\n");
    String diff = UnifiedDiff.of("f", before, after);
    assertThat(diff).contains("@@ -1,5 +1,5 @@").contains("@@ -15,6 +15,6 @@");
    assertThat(diff.lines().filter(l -> l.startsWith("@@")).count()).isEqualTo(2);
  }

  @Test
  void diffOfAnEmptyFileAddsEveryLine() {
    assertThat(UnifiedDiff.of("new.txt", "", "x\n")).contains("@@ -0,0 +1 @@\n+x\n");
  }
}

package dev.pitcrew.logs;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LineCleanerTest {
  @Test
  void stripsAnsiColoursButKeepsTheText() {
    assertThat(LineCleaner.display("\u001b[31;1mERROR:\u001b[0m Job failed"))
        .isEqualTo("ERROR: Job failed");
  }

  @Test
  void keepsWhatATerminalShowsLastOnACarriageReturnLine() {
    assertThat(LineCleaner.display("Downloading 10%\rDownloading 50%\rDownloaded 100%"))
        .isEqualTo("Downloaded 100%");
  }

  @Test
  void removesGitLabSectionMarkers() {
    String display =
        LineCleaner.display("section_start:1700000000:step_script\r\u001b[0KExecuting step");
    assertThat(LineCleaner.clean(display)).isEqualTo("Executing step");
  }

  @Test
  void removesGitHubTimestampAndCommandPrefix() {
    assertThat(
            LineCleaner.clean(
                "2024-05-02T09:12:03.6000000Z ##[error]Process completed with exit code 2."))
        .isEqualTo("Process completed with exit code 2.");
  }

  @Test
  void removesJenkinsBracketTimestamps() {
    assertThat(LineCleaner.clean("[2024-05-02T09:12:03.600Z] + make test"))
        .isEqualTo("+ make test");
  }

  @Test
  void leavesOrdinaryLinesAlone() {
    assertThat(LineCleaner.clean("npm ERR! code E404")).isEqualTo("npm ERR! code E404");
  }
}

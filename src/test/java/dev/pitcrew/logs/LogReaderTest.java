package dev.pitcrew.logs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LogReaderTest {
  private static List<LogLine> read(byte[] bytes, int cap) throws IOException {
    List<LogLine> out = new ArrayList<>();
    try (LogReader r = new LogReader(new ByteArrayInputStream(bytes), cap)) {
      LogLine l;
      while ((l = r.next()) != null) {
        out.add(l);
      }
    }
    return out;
  }

  @Test
  void numbersLinesFromOneIncludingBlankOnes() throws IOException {
    List<LogLine> lines = read("a\n\nc\n".getBytes(StandardCharsets.UTF_8), 1024);
    assertThat(lines).extracting(LogLine::number).containsExactly(1, 2, 3);
    assertThat(lines.get(2).text()).isEqualTo("c");
  }

  @Test
  void readsALastLineWithoutNewline() throws IOException {
    assertThat(read("a\nb".getBytes(StandardCharsets.UTF_8), 1024))
        .extracting(LogLine::text)
        .containsExactly("a", "b");
  }

  @Test
  void cutsAnAbsurdlyLongLineAndSaysSo() throws IOException {
    byte[] big = new byte[10 * 1024 * 1024];
    java.util.Arrays.fill(big, (byte) 'x');
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(big);
    out.write("\nnext line\n".getBytes(StandardCharsets.UTF_8));
    List<LogLine> lines = read(out.toByteArray(), 64 * 1024);
    assertThat(lines).hasSize(2);
    assertThat(lines.get(0).truncated()).isTrue();
    assertThat(lines.get(0).text()).hasSize(64 * 1024);
    assertThat(lines.get(1).text()).isEqualTo("next line");
    assertThat(lines.get(1).number()).isEqualTo(2);
  }

  @Test
  void replacesInvalidUtf8InsteadOfFailing() throws IOException {
    byte[] bytes = {'o', 'k', (byte) 0xff, (byte) 0xfe, '\n'};
    assertThat(read(bytes, 1024).get(0).text()).startsWith("ok").hasSize(4);
  }
}

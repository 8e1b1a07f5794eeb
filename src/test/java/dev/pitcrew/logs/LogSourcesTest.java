package dev.pitcrew.logs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogSourcesTest {
  @TempDir Path dir;

  private static String text(LogSource s) throws IOException {
    try (InputStream in = s.open()) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void readsGzipByItsMagicBytesWhateverTheName() throws IOException {
    Path f = dir.resolve("job.log");
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(f))) {
      out.write("hello\n".getBytes(StandardCharsets.UTF_8));
    }
    assertThat(text(LogSources.resolve(f.toString(), InputStream.nullInputStream()).get(0)))
        .isEqualTo("hello\n");
  }

  @Test
  void takesOneLogPerJobFromAGitHubRunArchive() throws IOException {
    Path zip = dir.resolve("logs_123.zip");
    try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
      for (String[] e :
          new String[][] {
            {"0_build.txt", "build log\n"},
            {"1_test.txt", "test log\n"},
            {"build/1_Set up job.txt", "step\n"},
            {"test/2_Run tests.txt", "step\n"}
          }) {
        out.putNextEntry(new ZipEntry(e[0]));
        out.write(e[1].getBytes(StandardCharsets.UTF_8));
        out.closeEntry();
      }
    }
    List<LogSource> logs = LogSources.resolve(zip.toString(), InputStream.nullInputStream());
    assertThat(logs)
        .extracting(LogSource::name)
        .containsExactly(zip + "!/0_build.txt", zip + "!/1_test.txt");
    assertThat(text(logs.get(1))).isEqualTo("test log\n");
  }

  @Test
  void walksADirectoryInPathOrder() throws IOException {
    Files.createDirectories(dir.resolve("b"));
    Files.writeString(dir.resolve("b/z.log"), "z");
    Files.writeString(dir.resolve("a.log"), "a");
    Files.writeString(dir.resolve(".hidden"), "h");
    assertThat(LogSources.resolve(dir.toString(), InputStream.nullInputStream()))
        .extracting(LogSource::name)
        .containsExactly(dir + "/a.log", dir + "/b/z.log");
  }

  @Test
  void readsStandardInputOnce() throws IOException {
    LogSource s =
        LogSources.resolve("-", new ByteArrayInputStream("x\n".getBytes(StandardCharsets.UTF_8)))
            .get(0);
    assertThat(text(s)).isEqualTo("x\n");
    assertThatThrownBy(s::open).isInstanceOf(IOException.class);
  }

  @Test
  void aMissingFileBecomesASourceThatSaysWhy() {
    LogSource s =
        LogSources.resolve(dir.resolve("nope.log").toString(), InputStream.nullInputStream())
            .get(0);
    assertThatThrownBy(s::open).hasMessageContaining("no such file");
  }

  @Test
  void capsDecompressedBytes() throws IOException {
    CappedInputStream in = new CappedInputStream(new ByteArrayInputStream(new byte[100]), 10);
    assertThat(in.readAllBytes()).hasSize(10);
    assertThat(in.hitCap()).isTrue();
  }
}

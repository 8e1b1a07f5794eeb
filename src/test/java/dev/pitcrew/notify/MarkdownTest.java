package dev.pitcrew.notify;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class MarkdownTest {
  @Test
  void inlineTextCannotMentionLinkOrEmbed() {
    String out = Markdown.inline(Samples.HOSTILE, 2000);
    assertThat(out)
        .doesNotContain("@here", "@octocat", "<script", "<img", "](", "![", "https://evil")
        .doesNotContain(" #12")
        .contains("@&#8203;octocat", "&lt;script&gt;", "\\[docs\\]");
  }

  @Test
  void codeBlockFenceOutgrowsTheLongestBacktickRun() {
    String block = Markdown.codeBlock("a ```` b", 100);
    assertThat(block).startsWith("`````text\n").endsWith("\n`````");
  }

  @Test
  void linksOnlyForPlainHttpUrls() {
    assertThat(Markdown.link("x", Optional.of("javascript:alert(1)"))).isEmpty();
    assertThat(Markdown.link("x", Optional.of("https://a.test/p(1)")))
        .isEqualTo("[x](https://a.test/p%281%29)");
  }
}

package dev.pitcrew.playbook;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RegexLiteralsTest {
  @Test
  void findsTheLongestRequiredLiteral() {
    assertThat(RegexLiterals.required("ModuleNotFoundError: No module named '(?P<m>[\\w.]+)'"))
        .containsExactly("modulenotfounderror: no module named '");
  }

  @Test
  void givesOneLiteralPerTopLevelBranch() {
    assertThat(RegexLiterals.required("ETIMEDOUT|ECONNRESET"))
        .containsExactly("etimedout", "econnreset");
  }

  @Test
  void dropsACharacterMadeOptionalByAQuantifier() {
    assertThat(RegexLiterals.required("errors?: disk")).containsExactly(": disk");
  }

  @Test
  void givesUpWhenABranchHasNoLiteral() {
    assertThat(RegexLiterals.required("\\d+|foo")).isEmpty();
  }

  @Test
  void ignoresInlineFlags() {
    assertThat(RegexLiterals.required("(?i)no space left on device"))
        .containsExactly("no space left on device");
  }

  @Test
  void usesARequiredGroupOfAlternativesWhenItBeatsTheLongestLiteral() {
    assertThat(RegexLiterals.required("(?i)(?:ETIMEDOUT|ECONNRESET)\\S* .*?(?P<host>[\\w-]+)"))
        .containsExactly("etimedout", "econnreset");
  }

  @Test
  void ignoresAnOptionalGroup() {
    assertThat(RegexLiterals.required("(?:foo|bar)?Exception: boom"))
        .containsExactly("exception: boom");
  }
}

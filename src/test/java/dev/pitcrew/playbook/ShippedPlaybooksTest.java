package dev.pitcrew.playbook;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pitcrew.diagnosis.Category;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** Every shipped playbook loads cleanly and passes its own examples, on every build. */
class ShippedPlaybooksTest {
  private static final PlaybookLoader.Result LOADED =
      PlaybookLoader.loadOnly(List.of(Path.of("playbooks")));

  @Test
  void everyShippedPlaybookIsValid() {
    assertThat(LOADED.errors()).isEmpty();
  }

  @Test
  void theLibraryCoversEveryCategory() {
    Set<Category> covered =
        LOADED.catalog().all().stream().map(Playbook::category).collect(Collectors.toSet());
    Set<Category> wanted = EnumSet.copyOf(Arrays.asList(Category.values()));
    wanted.remove(Category.UNKNOWN);
    assertThat(covered).containsAll(wanted);
  }

  @Test
  void codeDefectsAreNeverAutoFixed() {
    assertThat(LOADED.catalog().all())
        .filteredOn(p -> p.category() == Category.CODE)
        .allSatisfy(p -> assertThat(p.autoFix()).as(p.id()).isFalse());
  }

  @TestFactory
  Stream<DynamicTest> everyPlaybookPassesItsExamples() {
    PlaybookTester tester = new PlaybookTester(LOADED.catalog());
    return LOADED.catalog().all().stream()
        .map(p -> DynamicTest.dynamicTest(p.id(), () -> assertThat(tester.test(p)).isEmpty()));
  }
}

package dev.pitcrew;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** Core code speaks our words; vendor adapters and delivery layers stay at the edges. */
class ArchitectureTest {
  private static final JavaClasses CLASSES =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("dev.pitcrew");

  private static final String[] CORE = {
    "dev.pitcrew.logs..",
    "dev.pitcrew.diagnosis..",
    "dev.pitcrew.playbook..",
    "dev.pitcrew.remediation..",
    "dev.pitcrew.policy..",
    "dev.pitcrew.incident..",
    "dev.pitcrew.audit.."
  };

  @Test
  void coreDoesNotDependOnVendorAdapters() {
    noClasses()
        .that()
        .resideInAnyPackage(CORE)
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "dev.pitcrew.forge.github..",
            "dev.pitcrew.forge.gitlab..",
            "dev.pitcrew.notify.slack..",
            "dev.pitcrew.notify.email..",
            "dev.pitcrew.diagnosis.llm.anthropic..",
            "dev.pitcrew.diagnosis.llm.openai..")
        .allowEmptyShould(true)
        .check(CLASSES);
  }

  @Test
  void coreDoesNotDependOnTheCliOrTheWebLayer() {
    noClasses()
        .that()
        .resideInAnyPackage(CORE)
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("dev.pitcrew.cli..", "dev.pitcrew.web..", "dev.pitcrew.intake..")
        .allowEmptyShould(true)
        .check(CLASSES);
  }

  @Test
  void coreDoesNotTalkHttpOrSqlDirectly() {
    noClasses()
        .that()
        .resideInAnyPackage(
            "dev.pitcrew.logs..", "dev.pitcrew.diagnosis.rules..", "dev.pitcrew.playbook..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("io.javalin..", "java.sql..", "org.jdbi..", "java.net.http..")
        .check(CLASSES);
  }
}

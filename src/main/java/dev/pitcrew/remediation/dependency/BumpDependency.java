package dev.pitcrew.remediation.dependency;

import dev.pitcrew.diagnosis.Diagnosis;
import dev.pitcrew.diagnosis.RiskLevel;
import dev.pitcrew.remediation.Action;
import dev.pitcrew.remediation.Outcome;
import dev.pitcrew.remediation.Plan;
import dev.pitcrew.remediation.Plans;
import dev.pitcrew.remediation.RemediationContext;
import dev.pitcrew.remediation.RepoFiles;
import dev.pitcrew.remediation.change.ChangeDelivery;
import dev.pitcrew.remediation.dependency.gradle.BuildGradlePin;
import dev.pitcrew.remediation.dependency.maven.PomXmlPin;
import dev.pitcrew.remediation.dependency.npm.PackageJson;
import dev.pitcrew.remediation.dependency.pip.PyprojectPin;
import dev.pitcrew.remediation.dependency.pip.RequirementsTxt;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code bump_dependency}: re-pins a declared package to a compatible version (requirements.txt
 * {@code ==} pins, package.json ranges, pyproject.toml PEP 621 and Poetry dependencies, pom.xml
 * versions and version properties, build.gradle(.kts) coordinates; Maven and Gradle packages are
 * {@code group:artifact}). The plan's risk follows semantic versioning: a patch is low, a minor
 * medium, a major high (so it waits for approval). Only packages the project already declares are
 * touched, so no new name enters the build. When the lockfile is present it must be regenerated
 * too; the plan says so.
 */
public final class BumpDependency implements Action {
  public static final String NAME = "bump_dependency";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Optional<Plan> plan(Diagnosis d, RemediationContext ctx, RepoFiles files)
      throws IOException {
    Map<String, String> in = d.remediationParams();
    String pkg = in.get("package");
    String version = in.get("version");
    Ecosystem eco;
    try {
      eco = Ecosystem.parse(in.getOrDefault("ecosystem", "pip"));
    } catch (IllegalArgumentException e) {
      return Optional.of(Plans.suggestion(d, e.getMessage(), in));
    }
    if (pkg == null || !eco.validName(pkg) || !Versions.valid(version)) {
      return Optional.of(
          Plans.suggestion(d, "the diagnosis names no valid package and version to pin", in));
    }
    String file = manifest(eco, in.get("file"), files);
    Optional<String> text = files.read(file);
    if (text.isEmpty()) {
      return Optional.of(Plans.suggestion(d, "no " + file + " to pin " + pkg + " in", in));
    }
    String current;
    Edit edit;
    try {
      if (eco == Ecosystem.NPM) {
        String section = in.getOrDefault("section", "dependencies");
        current = PackageJson.version(text.get(), section, pkg).orElse(null);
        if (current == null) {
          return Optional.of(
              Plans.suggestion(d, pkg + " is not declared in " + section + " of package.json", in));
        }
        edit = PackageJson.setVersion(text.get(), section, pkg, version);
      } else if (eco == Ecosystem.PIP && !file.endsWith(".toml")) {
        if (!Character.isLetterOrDigit(version.charAt(0))) {
          return Optional.of(Plans.suggestion(d, "a pip pin needs an exact version", in));
        }
        current = RequirementsTxt.pinned(text.get(), pkg).orElse(null);
        edit = RequirementsTxt.pin(text.get(), pkg, version);
      } else if (eco == Ecosystem.PIP) {
        current = PyprojectPin.version(text.get(), pkg).orElse(null);
        edit = PyprojectPin.pin(text.get(), pkg, version);
      } else if (eco == Ecosystem.MAVEN) {
        String[] ga = pkg.split(":", 2);
        current = PomXmlPin.version(text.get(), ga[0], ga[1]).orElse(null);
        edit = PomXmlPin.pin(text.get(), ga[0], ga[1], version);
      } else {
        current = BuildGradlePin.version(text.get(), pkg).orElse(null);
        edit = BuildGradlePin.pin(text.get(), pkg, version);
      }
    } catch (Edit.Refused r) {
      return Optional.of(Plans.suggestion(d, "Cannot pin " + pkg + ": " + r.getMessage(), in));
    }
    RiskLevel risk = Versions.risk(current, version);
    Map<String, String> params = new LinkedHashMap<>(in);
    params.put("from", current == null ? "" : current);
    String lockNote = "";
    for (String lock : eco.lockfiles()) {
      if (files.read(lock).isPresent()) {
        lockNote = " The lockfile " + lock + " is now out of sync and must be regenerated.";
        params.put("lockfile", lock);
        break;
      }
    }
    return Optional.of(
        ChangeDelivery.filePlan(
            d,
            ctx,
            NAME,
            risk,
            "Pin " + pkg + " from " + current + " to " + version + " (" + risk.wire() + " risk)",
            List.of(Plans.change(file, text.get(), edit.after())),
            params,
            "This change makes one edit: " + edit.description() + "." + lockNote));
  }

  /**
   * The manifest to edit: the diagnosis's {@code file} when it is one of the ecosystem's manifests,
   * otherwise the first of them that exists (build.gradle.kts before build.gradle).
   */
  static String manifest(Ecosystem eco, String asked, RepoFiles files) throws IOException {
    List<String> known =
        switch (eco) {
          case PIP -> List.of("requirements.txt", "pyproject.toml");
          case NPM -> List.of("package.json");
          case MAVEN -> List.of("pom.xml");
          case GRADLE -> List.of("build.gradle.kts", "build.gradle");
        };
    if (asked != null && known.contains(asked.replaceFirst("^.*/", ""))) {
      return asked;
    }
    for (String k : known) {
      if (files.read(k).isPresent()) {
        return k;
      }
    }
    return known.get(0);
  }

  @Override
  public Outcome apply(Plan plan, RemediationContext ctx) throws IOException {
    return ChangeDelivery.deliver(plan, ctx);
  }
}

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
import dev.pitcrew.remediation.dependency.gradle.BuildGradle;
import dev.pitcrew.remediation.dependency.maven.PomXml;
import dev.pitcrew.remediation.dependency.npm.PackageJson;
import dev.pitcrew.remediation.dependency.pip.Pyproject;
import dev.pitcrew.remediation.dependency.pip.RequirementsTxt;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code add_dependency}: declares a missing package in the project's manifest (requirements.txt,
 * pyproject.toml, package.json, pom.xml, build.gradle[.kts]) as a one-line pull request. The name
 * goes through the {@link SupplyChainGuard} first; a package the project already declares means the
 * lockfile or install step is out of sync, which is flagged for a person instead.
 *
 * <p>Parameters: {@code ecosystem} (pip, npm, maven, gradle; default pip), {@code module} (a Python
 * import name) or {@code package} (npm name, or {@code group:artifact}), optional {@code version},
 * {@code file} and {@code configuration} (Gradle, default {@code implementation}).
 */
public final class AddDependency implements Action {
  public static final String NAME = "add_dependency";
  private static final Pattern PIN = Pattern.compile("==\\s*([0-9A-Za-z][0-9A-Za-z.+_-]*)");

  private final SupplyChainGuard guard;

  public AddDependency(SupplyChainGuard guard) {
    this.guard = guard;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Optional<Plan> plan(Diagnosis d, RemediationContext ctx, RepoFiles files)
      throws IOException {
    Map<String, String> in = d.remediationParams();
    Ecosystem eco;
    try {
      eco = Ecosystem.parse(in.getOrDefault("ecosystem", "pip"));
    } catch (IllegalArgumentException e) {
      return Optional.of(Plans.suggestion(d, e.getMessage(), in));
    }
    String raw = in.getOrDefault("package", in.get("module"));
    if (raw == null || raw.isBlank()) {
      return Optional.of(Plans.suggestion(d, "the diagnosis does not name a package", in));
    }
    String name =
        eco == Ecosystem.PIP && in.containsKey("module") ? ImportNames.distribution(raw) : raw;
    String version = in.get("version");
    if (version != null
        && (!Versions.valid(version) || !Character.isLetterOrDigit(version.charAt(0)))) {
      return Optional.of(
          Plans.suggestion(d, "'" + version + "' is not a version Pitcrew will write", in));
    }
    Optional<String> target = target(eco, in.get("file"), files);
    if (target.isEmpty()) {
      return Optional.of(
          Plans.suggestion(
              d,
              "No "
                  + String.join(" or ", eco.manifests())
                  + " found to declare "
                  + name
                  + " in; a person adds it where the project keeps its dependencies",
              in));
    }
    String file = target.get();
    String before = files.read(file).orElseThrow();
    SupplyChainGuard.Check check = guard.check(eco, name, file, files);
    Map<String, String> params = new LinkedHashMap<>(in);
    params.put("ecosystem", eco.name().toLowerCase(java.util.Locale.ROOT));
    params.put("package", name);
    params.put("file", file);
    params.put("supply_chain", check.status().name().toLowerCase(java.util.Locale.ROOT));
    params.put("supply_chain_reason", check.reason());
    if (check.status() == SupplyChainGuard.Status.REFUSED) {
      return Optional.of(
          Plans.suggestion(d, "Not adding a package the log named: " + check.reason(), params));
    }
    if (version == null) {
      version =
          check.version().or(() -> check.historyLine().flatMap(AddDependency::pinIn)).orElse(null);
    }
    Edit edit;
    try {
      edit = edit(eco, file, before, name, version, in, files);
    } catch (Edit.Refused r) {
      if (r.getMessage().contains("already")) {
        return Optional.of(
            Plans.suggestion(
                d,
                name
                    + " is already declared in "
                    + file
                    + " but the job could not import it: the lockfile or the install step is out"
                    + " of sync; regenerate the lockfile (pip-compile, poetry lock, npm install)"
                    + " and check which file the job installs from",
                params));
      }
      return Optional.of(Plans.suggestion(d, "Cannot add " + name + ": " + r.getMessage(), params));
    }
    if (check.status() == SupplyChainGuard.Status.UNVERIFIED) {
      params.put(Plans.NEEDS_APPROVAL, check.reason());
    }
    return Optional.of(
        ChangeDelivery.filePlan(
            d,
            ctx,
            NAME,
            RiskLevel.LOW,
            "Add " + name + " to " + file,
            List.of(Plans.change(file, before, edit.after())),
            params,
            "This change makes one edit: "
                + edit.description()
                + ". Supply-chain check: "
                + check.reason()
                + "."));
  }

  private static Optional<String> target(Ecosystem eco, String wanted, RepoFiles files)
      throws IOException {
    if (wanted != null && !wanted.isBlank() && files.read(wanted).isPresent()) {
      return Optional.of(wanted);
    }
    for (String m : eco.manifests()) {
      if (files.read(m).isPresent()) {
        return Optional.of(m);
      }
    }
    return Optional.empty();
  }

  private static Optional<String> pinIn(String historyLine) {
    Matcher m = PIN.matcher(historyLine);
    return m.find() ? Optional.of(m.group(1)) : Optional.empty();
  }

  private static Edit edit(
      Ecosystem eco,
      String file,
      String before,
      String name,
      String version,
      Map<String, String> in,
      RepoFiles files)
      throws Edit.Refused, IOException {
    switch (eco) {
      case PIP -> {
        String req = version == null ? name : name + "==" + version;
        return file.endsWith(".toml")
            ? Pyproject.add(before, name, req, version == null ? "*" : version)
            : RequirementsTxt.add(before, req);
      }
      case NPM -> {
        String v = version;
        if (v == null) {
          Optional<String> lock = files.read("package-lock.json");
          if (lock.isPresent()) {
            v = PackageJson.lockedVersion(lock.get(), name).orElse(null);
          }
        }
        if (v == null) {
          throw new Edit.Refused("no version is known for " + name + "; a person picks one");
        }
        String section = in.getOrDefault("section", "dependencies");
        return PackageJson.add(before, section, name, "^" + v);
      }
      case MAVEN, GRADLE -> {
        String[] ga = name.split(":");
        if (version == null) {
          throw new Edit.Refused("no version is known for " + name + "; a person picks one");
        }
        if (eco == Ecosystem.MAVEN) {
          return PomXml.add(before, ga[0], ga[1], version);
        }
        return BuildGradle.add(
            before,
            file.endsWith(".kts"),
            in.getOrDefault("configuration", "implementation"),
            name + ":" + version);
      }
      default -> throw new Edit.Refused("unsupported ecosystem " + eco);
    }
  }

  @Override
  public Outcome apply(Plan plan, RemediationContext ctx) throws IOException {
    return ChangeDelivery.deliver(plan, ctx);
  }
}

package dev.pitcrew.remediation.dependency;

import java.util.Locale;
import java.util.regex.Pattern;

/** A package ecosystem: how its names look and compare, and where it keeps its lockfiles. */
public enum Ecosystem {
  PIP(
      Pattern.compile("[A-Za-z0-9](?:[A-Za-z0-9._-]{0,98}[A-Za-z0-9])?"),
      new String[] {"poetry.lock", "Pipfile.lock", "uv.lock", "pdm.lock", "requirements.lock"},
      new String[] {"requirements.txt", "pyproject.toml"}),
  NPM(
      Pattern.compile("(?:@[a-z0-9][a-z0-9._~-]{0,50}/)?[a-z0-9][a-z0-9._~-]{0,100}"),
      new String[] {"package-lock.json", "yarn.lock", "pnpm-lock.yaml", "npm-shrinkwrap.json"},
      new String[] {"package.json"}),
  MAVEN(
      Pattern.compile("[A-Za-z0-9_.-]{1,100}:[A-Za-z0-9_.-]{1,100}"),
      new String[] {},
      new String[] {"pom.xml"}),
  GRADLE(
      Pattern.compile("[A-Za-z0-9_.-]{1,100}:[A-Za-z0-9_.-]{1,100}"),
      new String[] {"gradle.lockfile", "gradle/libs.versions.toml"},
      new String[] {"build.gradle", "build.gradle.kts"});

  private final Pattern name;
  private final String[] lockfiles;
  private final String[] manifests;

  Ecosystem(Pattern name, String[] lockfiles, String[] manifests) {
    this.name = name;
    this.lockfiles = lockfiles;
    this.manifests = manifests;
  }

  public static Ecosystem parse(String s) {
    String v = s == null ? "pip" : s.trim().toLowerCase(Locale.ROOT);
    return switch (v) {
      case "pip", "python", "pypi", "poetry" -> PIP;
      case "npm", "node", "yarn", "pnpm" -> NPM;
      case "maven", "mvn" -> MAVEN;
      case "gradle" -> GRADLE;
      default ->
          throw new IllegalArgumentException(
              "unknown ecosystem '" + s + "'; expected pip, npm, maven or gradle");
    };
  }

  /** Whether a package name has only the characters this ecosystem allows. */
  public boolean validName(String n) {
    return n != null && name.matcher(n).matches();
  }

  /** The form two names are compared in: PEP 503 for PyPI, lower case elsewhere. */
  public String normalize(String n) {
    String lower = n.toLowerCase(Locale.ROOT);
    return this == PIP ? lower.replaceAll("[-_.]+", "-") : lower;
  }

  public String[] lockfiles() {
    return lockfiles.clone();
  }

  public String[] manifests() {
    return manifests.clone();
  }
}

package dev.pitcrew.remediation.resource;

import dev.pitcrew.diagnosis.Diagnosis;
import dev.pitcrew.remediation.RemediationContext;
import dev.pitcrew.remediation.RepoFiles;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * {@code increase_jvm_heap}: raises {@code -Xmx} by the playbook's factor (1.5 by default) where
 * the build sets it: Gradle's {@code org.gradle.jvmargs} in gradle.properties, or {@code
 * MAVEN_OPTS} / {@code JAVA_TOOL_OPTIONS} / any {@code -Xmx} in the pipeline configuration. With no
 * {@code -Xmx} anywhere, a Gradle build gets {@code org.gradle.jvmargs=-Xmx3g} and a Maven build a
 * {@code MAVEN_OPTS: -Xmx3g} variable.
 */
public final class IncreaseJvmHeap extends CiEdit {
  public static final String NAME = "increase_jvm_heap";
  private static final Pattern XMX = Pattern.compile("-Xmx(\\d+[kKmMgG]?)");

  /** A job container's {@code options: --memory 64m} (or {@code -m 64m}, {@code --memory=64m}). */
  static final Pattern CONTAINER_MEMORY =
      Pattern.compile(
          "(?m)^[ \\t]+options:[^\\n#]*?(?:--memory[= ]|-m )[ ]*(\\d+[kKmMgG]?)(?![\\w-])");

  /** The smallest container memory limit Pitcrew raises to, in MiB: a JVM needs room to start. */
  static final long CONTAINER_MEMORY_FLOOR_MIB = 512;

  @Override
  public String name() {
    return NAME;
  }

  @Override
  Map<String, String> edits(
      Diagnosis d, RemediationContext ctx, RepoFiles files, List<String> notes) throws IOException {
    double f = Sizes.factor(d.remediationParams().get("factor"));
    Map<String, String> out = new LinkedHashMap<>();
    Optional<String> props = files.read("gradle.properties");
    if (props.isPresent()) {
      String after = scaleJvmargs(props.get(), f);
      if (!after.equals(props.get())) {
        out.put("gradle.properties", after);
      }
    }
    List<CiConfig.File> ci = CiConfig.files(ctx, files);
    for (CiConfig.File c : ci) {
      String after = CiConfig.replaceGroup(c.text(), XMX, v -> Sizes.scale(v, f));
      if (!after.equals(c.text())) {
        out.put(c.path(), after);
      }
    }
    if (!out.isEmpty()) {
      return out;
    }
    for (CiConfig.File c : ci) {
      if (c.gitlab()) {
        continue;
      }
      String after = CiConfig.replaceGroup(c.text(), CONTAINER_MEMORY, v -> raiseMemory(v, f));
      if (!after.equals(c.text())) {
        out.put(c.path(), after);
        notes.add("the job container's --memory limit is the JVM's heap limit, so it is raised");
      }
    }
    if (!out.isEmpty()) {
      return out;
    }
    boolean gradle =
        files.read("build.gradle").isPresent() || files.read("build.gradle.kts").isPresent();
    if (gradle) {
      String text = props.orElse("");
      String sep = text.isEmpty() || text.endsWith("\n") ? "" : "\n";
      if (text.contains("org.gradle.jvmargs")) {
        notes.add("org.gradle.jvmargs sets no -Xmx to raise");
        return out;
      }
      out.put("gradle.properties", text + sep + "org.gradle.jvmargs=-Xmx3g\n");
    } else if (files.read("pom.xml").isPresent() && !ci.isEmpty()) {
      CiConfig.File c = ci.get(0);
      out.put(
          c.path(),
          c.gitlab()
              ? CiConfig.addToTopLevelBlock(c.text(), "variables", "MAVEN_OPTS", "\"-Xmx3g\"", null)
              : CiConfig.addToTopLevelBlock(c.text(), "env", "MAVEN_OPTS", "-Xmx3g", "jobs"));
    }
    return out;
  }

  /** A docker {@code --memory} value × f, at least {@link #CONTAINER_MEMORY_FLOOR_MIB}, in MiB. */
  static String raiseMemory(String value, double f) {
    char unit = Character.toLowerCase(value.charAt(value.length() - 1));
    String digits = Character.isDigit(unit) ? value : value.substring(0, value.length() - 1);
    double mib =
        switch (unit) {
          case 'k' -> Long.parseLong(digits) / 1024.0;
          case 'm' -> Long.parseLong(digits);
          case 'g' -> Long.parseLong(digits) * 1024.0;
          default -> Long.parseLong(digits) / (1024.0 * 1024.0);
        };
    long raised = Math.max((long) Math.ceil(mib * f), CONTAINER_MEMORY_FLOOR_MIB);
    return raised + "m";
  }

  /** Scales -Xmx only on the org.gradle.jvmargs line; other lines and comments stay. */
  static String scaleJvmargs(String text, double f) {
    StringBuilder b = new StringBuilder();
    for (String line : text.split("(?<=\n)")) {
      if (line.stripLeading().startsWith("org.gradle.jvmargs")) {
        b.append(CiConfig.replaceGroup(line, XMX, v -> Sizes.scale(v, f)));
      } else {
        b.append(line);
      }
    }
    return b.toString();
  }

  @Override
  String summary(Diagnosis d) {
    return "Give the JVM a larger heap (-Xmx × "
        + Sizes.factor(d.remediationParams().get("factor"))
        + ")";
  }

  @Override
  String advice(Diagnosis d) {
    return "The JVM ran out of heap and Pitcrew found no build setting to raise; set -Xmx through"
        + " MAVEN_OPTS, JAVA_TOOL_OPTIONS or org.gradle.jvmargs";
  }
}

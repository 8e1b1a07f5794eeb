package dev.pitcrew.remediation.resource;

import dev.pitcrew.remediation.RemediationContext;
import dev.pitcrew.remediation.RepoFiles;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The pipeline configuration files of a repository (GitHub workflow YAML, {@code .gitlab-ci.yml})
 * and the line-level YAML surgery the resource actions share. Edits touch one line or insert one;
 * comments, anchors and formatting elsewhere stay as they were.
 */
final class CiConfig {
  static final String GITLAB = ".gitlab-ci.yml";

  /** One CI file and its text. */
  record File(String path, String text) {
    boolean gitlab() {
      return path.equals(GITLAB);
    }
  }

  private CiConfig() {}

  /** The failed run's workflow first, then the other workflows, then .gitlab-ci.yml. */
  static List<File> files(RemediationContext ctx, RepoFiles files) throws IOException {
    Set<String> paths = new LinkedHashSet<>();
    String wf = ctx.run().workflow();
    if (wf != null && wf.startsWith(".github/workflows/")) {
      paths.add(wf);
    }
    for (String f : files.list(".github/workflows")) {
      if (f.endsWith(".yml") || f.endsWith(".yaml")) {
        paths.add(f);
      }
    }
    paths.add(GITLAB);
    List<File> out = new ArrayList<>();
    for (String p : paths) {
      Optional<String> t = files.read(p);
      t.ifPresent(text -> out.add(new File(p, text)));
    }
    return out;
  }

  /** Replaces every match of the pattern's group 1 with the mapped value; null means unchanged. */
  static String replaceGroup(
      String text, Pattern p, java.util.function.Function<String, String> f) {
    Matcher m = p.matcher(text);
    StringBuilder b = new StringBuilder();
    int last = 0;
    while (m.find()) {
      String repl = f.apply(m.group(1));
      if (repl == null) {
        continue;
      }
      b.append(text, last, m.start(1)).append(repl);
      last = m.end(1);
    }
    b.append(text.substring(last));
    return b.toString();
  }

  /**
   * Adds {@code key: value} to the top-level mapping {@code block} ({@code env:} on GitHub, {@code
   * variables:} on GitLab), creating the block before {@code beforeKey} (or at the top) when it is
   * missing.
   */
  static String addToTopLevelBlock(
      String text, String block, String key, String value, String beforeKey) {
    String[] lines = text.split("\n", -1);
    List<String> out = new ArrayList<>(List.of(lines));
    for (int i = 0; i < lines.length; i++) {
      if (lines[i].matches("^" + Pattern.quote(block) + ":\\s*(#.*)?$")) {
        String indent = "  ";
        int j = i + 1;
        while (j < lines.length
            && (lines[j].isBlank() || lines[j].startsWith(" ") || lines[j].startsWith("#"))) {
          if (!lines[j].isBlank() && lines[j].startsWith(" ")) {
            indent = lines[j].substring(0, lines[j].length() - lines[j].stripLeading().length());
          }
          j++;
        }
        int at = j;
        while (at > i + 1 && lines[at - 1].isBlank()) {
          at--;
        }
        out.add(at, indent + key + ": " + value);
        return String.join("\n", out);
      }
    }
    int at = 0;
    for (int i = 0; i < lines.length; i++) {
      if (beforeKey != null && lines[i].matches("^" + Pattern.quote(beforeKey) + ":.*")) {
        at = i;
        break;
      }
    }
    if (beforeKey == null || at == 0) {
      // after leading comments and document markers
      while (at < lines.length
          && (lines[at].startsWith("#") || lines[at].startsWith("---") || lines[at].isBlank())) {
        at++;
      }
      if (beforeKey != null) {
        for (int i = 0; i < lines.length; i++) {
          if (lines[i].matches("^" + Pattern.quote(beforeKey) + ":.*")) {
            at = i;
            break;
          }
        }
      }
    }
    out.add(at, block + ":");
    out.add(at + 1, "  " + key + ": " + value);
    out.add(at + 2, "");
    return String.join("\n", out);
  }
}

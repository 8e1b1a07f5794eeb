package dev.pitcrew.remediation.dependency.maven;

import dev.pitcrew.remediation.dependency.Edit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * Re-pins one dependency of a pom.xml: the text between its {@code <version>} tags, or, when the
 * version is a property ({@code ${guava.version}}), the property's value in {@code <properties>}.
 * Dependencies are found in the project's {@code <dependencies>} and {@code
 * <dependencyManagement>}; plugins are not touched. The file is re-parsed to confirm the new
 * version.
 */
public final class PomXmlPin {
  private static final Pattern DEPENDENCY =
      Pattern.compile("<dependency>(.*?)</dependency>", Pattern.DOTALL);
  private static final Pattern PROPERTY = Pattern.compile("^\\$\\{([A-Za-z0-9_.-]+)}$");

  private PomXmlPin() {}

  /** The version g:a resolves to in this file (a property is followed), if declared. */
  public static Optional<String> version(String text, String groupId, String artifactId)
      throws Edit.Refused {
    Document doc = PomXml.parse(text);
    for (Element d : declarations(doc, groupId, artifactId)) {
      String v = child(d, "version");
      if (v != null) {
        return Optional.ofNullable(resolve(doc, v));
      }
    }
    return Optional.empty();
  }

  public static Edit pin(String text, String groupId, String artifactId, String version)
      throws Edit.Refused {
    if (!version.matches("[0-9A-Za-z][0-9A-Za-z.+_-]{0,60}")) {
      throw new Edit.Refused("'" + version + "' is not a Maven version Pitcrew writes");
    }
    Document doc = PomXml.parse(text);
    if (declarations(doc, groupId, artifactId).isEmpty()) {
      throw new Edit.Refused(groupId + ":" + artifactId + " is not a dependency in pom.xml");
    }
    // comments keep their length but cannot match, so offsets stay those of the real text
    String masked = maskComments(text);
    Matcher m = DEPENDENCY.matcher(masked);
    String after = text;
    String description = null;
    int shift = 0;
    List<int[]> skip = regions(masked, "build");
    skip.addAll(regions(masked, "profiles"));
    while (m.find()) {
      int at = m.start();
      if (skip.stream().anyMatch(r -> at > r[0] && at < r[1])) {
        continue; // a plugin's or a profile's dependency
      }
      String block = m.group(1);
      if (!groupId.equals(tag(block, "groupId")) || !artifactId.equals(tag(block, "artifactId"))) {
        continue;
      }
      Matcher v = Pattern.compile("<version>\\s*([^<]*?)\\s*</version>").matcher(block);
      if (!v.find()) {
        continue; // managed elsewhere (dependencyManagement or a BOM)
      }
      String current = v.group(1);
      Matcher p = PROPERTY.matcher(current);
      if (p.matches()) {
        String prop = p.group(1);
        after = setProperty(after, prop, version);
        description = "set the property " + prop + " to " + version + " in pom.xml";
        break;
      }
      int start = m.start(1) + v.start(1) + shift;
      int end = m.start(1) + v.end(1) + shift;
      after = after.substring(0, start) + version + after.substring(end);
      shift += version.length() - current.length();
      description =
          "pin "
              + groupId
              + ":"
              + artifactId
              + " from "
              + current
              + " to "
              + version
              + " in pom.xml";
    }
    if (description == null) {
      throw new Edit.Refused(
          groupId + ":" + artifactId + " has no <version> in pom.xml (a BOM or parent manages it)");
    }
    Optional<String> now = version(after, groupId, artifactId);
    if (!now.map(version::equals).orElse(false)) {
      throw new Edit.Refused(
          "re-reading pom.xml found " + groupId + ":" + artifactId + " at " + now.orElse("none"));
    }
    return new Edit(after, description);
  }

  private static String setProperty(String text, String prop, String version) throws Edit.Refused {
    String masked = maskComments(text);
    int props = masked.indexOf("<properties>");
    int propsEnd = masked.indexOf("</properties>", Math.max(props, 0));
    if (props < 0 || propsEnd < 0) {
      throw new Edit.Refused("pom.xml uses ${" + prop + "} but has no <properties> section");
    }
    Matcher p =
        Pattern.compile(
                "<" + Pattern.quote(prop) + ">\\s*([^<]*?)\\s*</" + Pattern.quote(prop) + ">")
            .matcher(masked)
            .region(props, propsEnd);
    if (!p.find()) {
      throw new Edit.Refused("the property " + prop + " is not defined in pom.xml's <properties>");
    }
    return text.substring(0, p.start(1)) + version + text.substring(p.end(1));
  }

  private static List<int[]> regions(String masked, String tag) {
    List<int[]> out = new ArrayList<>();
    int from = 0;
    while (true) {
      int s = masked.indexOf("<" + tag + ">", from);
      if (s < 0) {
        return out;
      }
      int e = masked.indexOf("</" + tag + ">", s);
      if (e < 0) {
        e = masked.length();
      }
      out.add(new int[] {s, e});
      from = e + 1;
    }
  }

  /** Replaces the inside of every {@code <!-- -->} with spaces (line breaks kept). */
  static String maskComments(String text) {
    StringBuilder b = new StringBuilder(text);
    int from = 0;
    while (true) {
      int s = text.indexOf("<!--", from);
      if (s < 0) {
        break;
      }
      int e = text.indexOf("-->", s + 4);
      int end = e < 0 ? text.length() : e + 3;
      for (int i = s; i < end; i++) {
        if (b.charAt(i) != '\n' && b.charAt(i) != '\r') {
          b.setCharAt(i, ' ');
        }
      }
      from = end;
    }
    return b.toString();
  }

  private static String tag(String block, String name) {
    Matcher m = Pattern.compile("<" + name + ">\\s*([^<]*?)\\s*</" + name + ">").matcher(block);
    return m.find() ? m.group(1) : null;
  }

  /** The dependency elements for g:a under the project's dependencies and dependencyManagement. */
  private static List<Element> declarations(Document doc, String groupId, String artifactId) {
    List<Element> out = new ArrayList<>();
    Element project = doc.getDocumentElement();
    List<Element> lists = new ArrayList<>(children(project, "dependencies"));
    for (Element dm : children(project, "dependencyManagement")) {
      lists.addAll(children(dm, "dependencies"));
    }
    for (Element deps : lists) {
      for (Element d : children(deps, "dependency")) {
        if (groupId.equals(child(d, "groupId")) && artifactId.equals(child(d, "artifactId"))) {
          out.add(d);
        }
      }
    }
    return out;
  }

  private static String resolve(Document doc, String v) {
    Matcher p = PROPERTY.matcher(v);
    if (!p.matches()) {
      return v;
    }
    for (Element props : children(doc.getDocumentElement(), "properties")) {
      String value = child(props, p.group(1));
      if (value != null) {
        return value;
      }
    }
    return null;
  }

  private static List<Element> children(Element e, String name) {
    List<Element> out = new ArrayList<>();
    for (Node n = e.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element c && name.equals(c.getTagName())) {
        out.add(c);
      }
    }
    return out;
  }

  private static String child(Element e, String name) {
    List<Element> c = children(e, name);
    return c.isEmpty() ? null : c.get(0).getTextContent().strip();
  }
}

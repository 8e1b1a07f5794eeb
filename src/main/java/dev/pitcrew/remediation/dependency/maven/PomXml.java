package dev.pitcrew.remediation.dependency.maven;

import dev.pitcrew.remediation.dependency.Edit;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * pom.xml: inserts one {@code <dependency>} block into the project's own {@code <dependencies>}
 * (not dependencyManagement, not a plugin's) with the file's indentation, then re-parses with the
 * JDK's XML parser (no DTDs, no external entities) to confirm.
 */
public final class PomXml {
  private PomXml() {}

  public static Edit add(String text, String groupId, String artifactId, String version)
      throws Edit.Refused {
    Document doc = parse(text);
    if (find(doc, groupId, artifactId) != null) {
      throw new Edit.Refused(groupId + ":" + artifactId + " is already a dependency in pom.xml");
    }
    NodeList all = doc.getElementsByTagName("dependencies");
    int ordinal = -1;
    for (int i = 0; i < all.getLength(); i++) {
      if (all.item(i).getParentNode() == doc.getDocumentElement()) {
        ordinal = i;
      }
    }
    if (ordinal < 0) {
      throw new Edit.Refused("pom.xml has no <dependencies> section directly under <project>");
    }
    int close = -1;
    int from = 0;
    for (int i = 0; i <= ordinal; i++) {
      close = text.indexOf("</dependencies>", from);
      if (close < 0) {
        throw new Edit.Refused("pom.xml's <dependencies> tags do not line up");
      }
      from = close + 1;
    }
    int lineStart = text.lastIndexOf('\n', close) + 1;
    String closeIndent = text.substring(lineStart, close);
    if (!closeIndent.isBlank()) {
      throw new Edit.Refused("</dependencies> does not start its own line in pom.xml");
    }
    String unit = closeIndent.contains("\t") ? "\t" : detectUnit(text);
    String ind = closeIndent + unit;
    String nl = text.contains("\r\n") ? "\r\n" : "\n";
    String block =
        ind
            + "<dependency>"
            + nl
            + ind
            + unit
            + "<groupId>"
            + groupId
            + "</groupId>"
            + nl
            + ind
            + unit
            + "<artifactId>"
            + artifactId
            + "</artifactId>"
            + nl
            + (version == null || version.isBlank()
                ? ""
                : ind + unit + "<version>" + version + "</version>" + nl)
            + ind
            + "</dependency>"
            + nl;
    String after = text.substring(0, lineStart) + block + text.substring(lineStart);
    Element added = find(parse(after), groupId, artifactId);
    if (added == null) {
      throw new Edit.Refused("re-reading pom.xml did not find the added dependency");
    }
    return new Edit(
        after,
        "add "
            + groupId
            + ":"
            + artifactId
            + (version == null ? "" : ":" + version)
            + " to pom.xml");
  }

  private static String detectUnit(String text) {
    for (String line : text.split("\n")) {
      String t = line.stripLeading();
      if (t.startsWith("<modelVersion>") || t.startsWith("<groupId>")) {
        int n = line.length() - t.length();
        if (n > 0) {
          return " ".repeat(n);
        }
      }
    }
    return "  ";
  }

  /** The project's direct dependency element for g:a, or null. */
  static Element find(Document doc, String groupId, String artifactId) {
    for (Element deps : children(doc.getDocumentElement(), "dependencies")) {
      for (Element d : children(deps, "dependency")) {
        if (groupId.equals(text(d, "groupId")) && artifactId.equals(text(d, "artifactId"))) {
          return d;
        }
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

  private static String text(Element e, String child) {
    List<Element> c = children(e, child);
    return c.isEmpty() ? null : c.get(0).getTextContent().strip();
  }

  static Document parse(String text) throws Edit.Refused {
    try {
      DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
      f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
      f.setXIncludeAware(false);
      f.setExpandEntityReferences(false);
      DocumentBuilder b = f.newDocumentBuilder();
      b.setErrorHandler(null);
      return b.parse(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
    } catch (Exception e) {
      throw new Edit.Refused("pom.xml is not well-formed XML: " + e.getMessage());
    }
  }
}

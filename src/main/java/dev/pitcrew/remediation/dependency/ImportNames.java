package dev.pitcrew.remediation.dependency;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * Python import names to PyPI distribution names ({@code yaml} is PyYAML, {@code cv2} is
 * opencv-python): the name in {@code No module named 'x'} is rarely the name to install.
 */
public final class ImportNames {
  private static final Map<String, String> MAP = load();

  private ImportNames() {}

  /**
   * The distribution for an imported module: the longest mapped dotted prefix, else the top-level
   * package name itself.
   */
  public static String distribution(String module) {
    String m = module.strip();
    String probe = m;
    while (true) {
      String d = MAP.get(probe);
      if (d != null) {
        return d;
      }
      int dot = probe.lastIndexOf('.');
      if (dot < 0) {
        break;
      }
      probe = probe.substring(0, dot);
    }
    int dot = m.indexOf('.');
    return dot < 0 ? m : m.substring(0, dot);
  }

  public static int size() {
    return MAP.size();
  }

  private static Map<String, String> load() {
    Properties p = new Properties();
    try (InputStream in = ImportNames.class.getResourceAsStream("import-names.properties")) {
      if (in == null) {
        throw new IllegalStateException("import-names.properties is missing from the jar");
      }
      p.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Map<String, String> m = new TreeMap<>();
    p.forEach((k, v) -> m.put(k.toString().trim(), v.toString().trim()));
    return Map.copyOf(m);
  }
}

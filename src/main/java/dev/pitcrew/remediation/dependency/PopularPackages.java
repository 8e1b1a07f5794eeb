package dev.pitcrew.remediation.dependency;

import dev.pitcrew.internal.Strings;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The most used packages of an ecosystem, to catch typosquats: a name one or two edits away from a
 * popular one ({@code reqeusts}) is far more likely a typo or an attack than a real dependency.
 */
public final class PopularPackages {
  private static final List<String> PYPI = load("top-packages-pypi.txt", Ecosystem.PIP);
  private static final List<String> NPM = load("top-packages-npm.txt", Ecosystem.NPM);

  private PopularPackages() {}

  /** The popular name this one nearly matches (distance 1 or 2), if any. */
  public static Optional<String> nearMiss(Ecosystem eco, String name) {
    List<String> list =
        switch (eco) {
          case PIP -> PYPI;
          case NPM -> NPM;
          default -> List.of();
        };
    String n = eco.normalize(name);
    if (list.contains(n)) {
      return Optional.empty();
    }
    String best = null;
    int bestD = 3;
    for (String p : list) {
      if (Math.abs(p.length() - n.length()) > 2) {
        continue;
      }
      int d = Strings.editDistance(n, p);
      // very short names are too close to everything to judge by distance 2
      int limit = Math.min(p.length(), n.length()) <= 4 ? 1 : 2;
      if (d <= limit && d < bestD) {
        best = p;
        bestD = d;
      }
    }
    return Optional.ofNullable(best);
  }

  private static List<String> load(String resource, Ecosystem eco) {
    List<String> out = new ArrayList<>();
    try (InputStream in = PopularPackages.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException(resource + " is missing from the jar");
      }
      BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      for (String line; (line = r.readLine()) != null; ) {
        String t = line.strip();
        if (!t.isEmpty() && !t.startsWith("#")) {
          out.add(eco.normalize(t));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return List.copyOf(out);
  }
}

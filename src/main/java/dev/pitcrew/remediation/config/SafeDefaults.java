package dev.pitcrew.remediation.config;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Pattern;

/**
 * The CI variables Pitcrew may set on its own, with their values: harmless, well-known defaults
 * (TZ=UTC, LANG=C.UTF-8, LOG_LEVEL=INFO). Anything else (a database URL, a token, NODE_OPTIONS) is
 * for a person to set. Extended or overridden by {@code PITCREW_SAFE_DEFAULTS}: a properties file
 * path, or inline {@code NAME=value} pairs separated by commas.
 */
public record SafeDefaults(Map<String, String> values) {
  private static final Pattern NAME = Pattern.compile("[A-Z_][A-Z0-9_]{0,63}");
  private static final Pattern VALUE = Pattern.compile("[A-Za-z0-9 ._:/+-]{0,128}");

  public static final SafeDefaults BUILT_IN =
      new SafeDefaults(
          Map.of(
              "TZ", "UTC",
              "LANG", "C.UTF-8",
              "LC_ALL", "C.UTF-8",
              "LOG_LEVEL", "INFO",
              "PYTHONIOENCODING", "utf-8",
              "PYTHONUNBUFFERED", "1"));

  public SafeDefaults {
    for (var e : values.entrySet()) {
      if (!NAME.matcher(e.getKey()).matches()) {
        throw new IllegalArgumentException(
            "safe default '" + e.getKey() + "' is not a CI variable name (A-Z, 0-9, _)");
      }
      if (!VALUE.matcher(e.getValue()).matches()) {
        throw new IllegalArgumentException(
            "safe default "
                + e.getKey()
                + " has a value with characters Pitcrew will not set (allowed: letters, digits,"
                + " space . _ : / + -)");
      }
    }
    values = Map.copyOf(values);
  }

  public Optional<String> valueOf(String name) {
    return Optional.ofNullable(values.get(name));
  }

  /** The built-in table plus {@code PITCREW_SAFE_DEFAULTS} (a file path or inline pairs). */
  public static SafeDefaults fromEnv(String setting) {
    Map<String, String> m = new LinkedHashMap<>(BUILT_IN.values());
    if (setting == null || setting.isBlank()) {
      return BUILT_IN;
    }
    String text;
    Path p = Path.of(setting.strip());
    if (!setting.contains("=") && Files.isRegularFile(p)) {
      try {
        text = Files.readString(p, StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new UncheckedIOException("PITCREW_SAFE_DEFAULTS: cannot read " + p, e);
      }
    } else if (setting.contains("=")) {
      text = setting.replace(',', '\n');
    } else {
      throw new IllegalArgumentException(
          "PITCREW_SAFE_DEFAULTS is neither a readable file nor NAME=value pairs: " + setting);
    }
    Properties props = new Properties();
    try {
      props.load(new StringReader(text));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    props.forEach((k, v) -> m.put(k.toString().strip(), v.toString().strip()));
    return new SafeDefaults(m);
  }
}

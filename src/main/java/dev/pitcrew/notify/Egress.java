package dev.pitcrew.notify;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Locale;

/**
 * Checks a configured endpoint before any request goes to it (threat model T14): https only, except
 * plain http to a loopback receiver; never a link-local or cloud-metadata address. Requests are
 * sent only to the configured URL, and redirects are not followed, so a sink talks to exactly the
 * hosts in the configuration.
 */
public final class Egress {
  private Egress() {}

  /**
   * The URL as a URI, or an error naming the variable and what to do.
   *
   * @param variable the environment variable the URL came from, for the message
   */
  public static URI checked(String variable, String url) {
    URI uri;
    try {
      uri = new URI(url.strip());
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(variable + " is not a valid URL: " + e.getReason());
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    String host = uri.getHost();
    if (host == null || host.isBlank()) {
      throw new IllegalArgumentException(
          variable
              + " needs an absolute http(s) URL with a host, e.g. https://hooks.slack.com/...");
    }
    if (uri.getRawUserInfo() != null) {
      throw new IllegalArgumentException(
          variable + " must not carry credentials in the URL; use the dedicated variable");
    }
    boolean loopback = isLoopback(host);
    if (!scheme.equals("https") && !(scheme.equals("http") && loopback)) {
      throw new IllegalArgumentException(
          variable + " must use https (plain http is allowed only to localhost), got " + scheme);
    }
    if (isMetadataOrLinkLocal(host)) {
      throw new IllegalArgumentException(
          variable + " points at a link-local or cloud-metadata address (" + host + "); refused");
    }
    return uri;
  }

  static boolean isLoopback(String host) {
    String h = stripBrackets(host);
    if (h.equalsIgnoreCase("localhost")) {
      return true;
    }
    if (!looksLikeIpLiteral(h)) {
      return false;
    }
    try {
      return InetAddress.getByName(h).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }

  static boolean isMetadataOrLinkLocal(String host) {
    String h = stripBrackets(host).toLowerCase(Locale.ROOT);
    if (h.equals("metadata.google.internal") || h.equals("metadata")) {
      return true;
    }
    if (!looksLikeIpLiteral(h)) {
      return false;
    }
    try {
      InetAddress a = InetAddress.getByName(h);
      return a.isLinkLocalAddress() || h.startsWith("fd00:ec2:") || a.isAnyLocalAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }

  // only IP literals are resolved here: a name is never looked up at configuration time
  private static boolean looksLikeIpLiteral(String h) {
    return h.matches("[0-9.]+") || h.contains(":");
  }

  private static String stripBrackets(String h) {
    return h.startsWith("[") && h.endsWith("]") ? h.substring(1, h.length() - 1) : h;
  }
}

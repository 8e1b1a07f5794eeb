package dev.pitcrew.intake;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Webhook authentication in constant time. Every configured secret is tried (several at once during
 * rotation), and every comparison runs over the full length so that timing reveals nothing.
 */
public final class Signatures {
  private Signatures() {}

  /** GitHub's {@code X-Hub-Signature-256: sha256=<hex HMAC of the raw body>}. */
  public static boolean github(byte[] body, String header, List<String> secrets) {
    if (header == null || !header.startsWith("sha256=") || secrets.isEmpty()) {
      return false;
    }
    byte[] given;
    try {
      given = HexFormat.of().parseHex(header.substring(7).strip());
    } catch (IllegalArgumentException e) {
      return false;
    }
    boolean ok = false;
    for (String secret : secrets) {
      ok |= MessageDigest.isEqual(hmac(secret, body), given);
    }
    return ok;
  }

  /** GitLab's {@code X-Gitlab-Token}: the shared token itself. */
  public static boolean token(String header, List<String> tokens) {
    if (header == null || tokens.isEmpty()) {
      return false;
    }
    byte[] given = sha256(header.getBytes(StandardCharsets.UTF_8));
    boolean ok = false;
    for (String t : tokens) {
      // hashing first makes the comparison length-independent
      ok |= MessageDigest.isEqual(sha256(t.getBytes(StandardCharsets.UTF_8)), given);
    }
    return ok;
  }

  public static byte[] hmac(String secret, byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return mac.doFinal(body);
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The header value GitHub would send for this body and secret. */
  public static String githubHeader(String secret, byte[] body) {
    return "sha256=" + HexFormat.of().formatHex(hmac(secret, body));
  }

  static byte[] sha256(byte[] b) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(b);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}

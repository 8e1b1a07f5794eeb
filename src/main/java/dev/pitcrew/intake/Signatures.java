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

  /**
   * GitLab's signing token, which follows the Standard Webhooks scheme: {@code webhook-signature:
   * v1,<base64 HMAC-SHA256 over "webhook-id.webhook-timestamp.body">}, keyed with the bytes the
   * {@code whsec_<base64>} token encodes. The header may carry several space-separated signatures
   * (the sender's own rotation); one valid one is enough. The timestamp's age is the caller's
   * check.
   */
  public static boolean standardWebhook(
      byte[] body, String id, String timestamp, String header, List<byte[]> keys) {
    if (header == null || id == null || timestamp == null || keys.isEmpty()) {
      return false;
    }
    byte[] signed = signedContent(id, timestamp, body);
    boolean ok = false;
    for (String sig : header.strip().split("\\s+")) {
      if (!sig.startsWith("v1,")) {
        continue;
      }
      byte[] given;
      try {
        given = java.util.Base64.getDecoder().decode(sig.substring(3));
      } catch (IllegalArgumentException e) {
        continue;
      }
      for (byte[] key : keys) {
        ok |= MessageDigest.isEqual(hmac(key, signed), given);
      }
    }
    return ok;
  }

  /**
   * The key of a {@code whsec_<base64>} signing token, as GitLab shows it when the token is made.
   *
   * @throws IllegalArgumentException naming the setting when the token has another form
   */
  public static byte[] signingKey(String setting, String token) {
    String t = token.strip();
    if (!t.startsWith("whsec_")) {
      throw new IllegalArgumentException(
          setting + " must be a signing token as GitLab shows it, whsec_ followed by base64");
    }
    try {
      byte[] key = java.util.Base64.getDecoder().decode(t.substring(6));
      if (key.length < 16) {
        throw new IllegalArgumentException(
            setting + " holds a key of " + key.length + " bytes; GitLab's are 32");
      }
      return key;
    } catch (IllegalArgumentException e) {
      if (e.getMessage() != null && e.getMessage().startsWith(setting)) {
        throw e;
      }
      throw new IllegalArgumentException(
          setting + " must be whsec_ followed by base64; the part after whsec_ is not base64");
    }
  }

  /** The header value GitLab would send with a signing token, for tests and tools. */
  public static String standardWebhookHeader(byte[] key, String id, String timestamp, byte[] body) {
    byte[] signed = signedContent(id, timestamp, body);
    return "v1," + java.util.Base64.getEncoder().encodeToString(hmac(key, signed));
  }

  /** What a Standard Webhooks signature covers: {@code id.timestamp.body}. */
  private static byte[] signedContent(String id, String timestamp, byte[] body) {
    byte[] prefix = (id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8);
    byte[] signed = new byte[prefix.length + body.length];
    System.arraycopy(prefix, 0, signed, 0, prefix.length);
    System.arraycopy(body, 0, signed, prefix.length, body.length);
    return signed;
  }

  public static byte[] hmac(String secret, byte[] body) {
    return hmac(secret.getBytes(StandardCharsets.UTF_8), body);
  }

  static byte[] hmac(byte[] key, byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
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

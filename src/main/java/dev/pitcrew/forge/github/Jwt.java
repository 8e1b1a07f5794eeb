package dev.pitcrew.forge.github;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.time.Instant;
import java.util.Base64;

/**
 * The RS256 JSON Web Token a GitHub App signs to ask for installation tokens. Issued 60 s in the
 * past (GitHub's advice against clock drift) and valid for 9 minutes (GitHub's maximum is 10).
 */
final class Jwt {
  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

  private Jwt() {}

  static String appToken(PrivateKey key, String appId, Instant now) {
    long iat = now.getEpochSecond() - 60;
    long exp = now.getEpochSecond() + 540;
    String header = "{\"alg\":\"RS256\",\"typ\":\"JWT\"}";
    String payload =
        "{\"iat\":" + iat + ",\"exp\":" + exp + ",\"iss\":\"" + appId.replace("\"", "") + "\"}";
    String signingInput = b64(header) + "." + b64(payload);
    try {
      Signature s = Signature.getInstance("SHA256withRSA");
      s.initSign(key);
      s.update(signingInput.getBytes(StandardCharsets.US_ASCII));
      return signingInput + "." + B64.encodeToString(s.sign());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("could not sign the GitHub App token: " + e.getMessage(), e);
    }
  }

  private static String b64(String json) {
    return B64.encodeToString(json.getBytes(StandardCharsets.UTF_8));
  }
}

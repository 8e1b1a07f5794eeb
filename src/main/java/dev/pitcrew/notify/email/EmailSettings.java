package dev.pitcrew.notify.email;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Where and how to send e-mail.
 *
 * @param security NONE (plain, for a relay on localhost), STARTTLS (required, port 587) or SSL
 *     (implicit TLS, port 465)
 * @param to fixed recipients; may be empty when {@code toAuthor} is set
 * @param toAuthor send to the failing commit's author when the notification names one
 */
public record EmailSettings(
    String host,
    int port,
    Security security,
    Optional<String> user,
    Optional<String> password,
    String from,
    List<String> to,
    boolean toAuthor,
    Duration timeout) {
  public EmailSettings {
    to = List.copyOf(to);
    if (host == null || host.isBlank()) {
      throw new IllegalArgumentException("PITCREW_SMTP_HOST is empty");
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("PITCREW_SMTP_PORT must be 1..65535, got " + port);
    }
    if (user.isPresent() != password.isPresent()) {
      throw new IllegalArgumentException(
          "set both PITCREW_SMTP_USER and PITCREW_SMTP_PASSWORD, or neither");
    }
    if (to.isEmpty() && !toAuthor) {
      throw new IllegalArgumentException(
          "e-mail needs PITCREW_NOTIFY_EMAIL_TO or PITCREW_NOTIFY_EMAIL_TO_AUTHOR=true");
    }
  }

  /** How the connection to the SMTP server is protected. */
  public enum Security {
    NONE,
    STARTTLS,
    SSL
  }

  @Override
  public String toString() {
    // the password never appears in logs or health output
    return "EmailSettings["
        + host
        + ":"
        + port
        + " "
        + security
        + ", user="
        + user.orElse("-")
        + "]";
  }
}

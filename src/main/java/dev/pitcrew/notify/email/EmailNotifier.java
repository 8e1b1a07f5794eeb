package dev.pitcrew.notify.email;

import dev.pitcrew.notify.DeliveryException;
import dev.pitcrew.notify.Notification;
import dev.pitcrew.notify.Notifier;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.Authenticator;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.PasswordAuthentication;
import jakarta.mail.SendFailedException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;

/**
 * Sends a multipart/alternative e-mail (plain text, then HTML) through SMTP with Jakarta Mail
 * (Eclipse Angus). SMTP 4xx answers and connection failures are retryable; authentication failures,
 * 5xx answers and invalid addresses are not.
 */
public final class EmailNotifier implements Notifier {
  private final EmailSettings settings;
  private final Session session;
  private final InternetAddress from;
  private final List<InternetAddress> to;

  public EmailNotifier(EmailSettings settings) {
    this.settings = settings;
    this.from = address("PITCREW_NOTIFY_EMAIL_FROM", settings.from());
    List<InternetAddress> list = new ArrayList<>();
    for (String t : settings.to()) {
      list.add(address("PITCREW_NOTIFY_EMAIL_TO", t));
    }
    this.to = List.copyOf(list);
    this.session = Session.getInstance(properties(settings), authenticator(settings));
  }

  @Override
  public String name() {
    return "email";
  }

  @Override
  public boolean accepts(Notification n) {
    return !recipients(n).isEmpty();
  }

  @Override
  public Optional<String> deliver(Notification n) throws DeliveryException {
    List<InternetAddress> rcpt = recipients(n);
    if (rcpt.isEmpty()) {
      throw new DeliveryException("no recipient: the commit has no usable author address", false);
    }
    try {
      MimeMessage m = new MimeMessage(session);
      m.setFrom(from);
      m.setRecipients(Message.RecipientType.TO, rcpt.toArray(InternetAddress[]::new));
      m.setSubject(EmailTemplates.subject(n), StandardCharsets.UTF_8.name());
      m.setHeader("Auto-Submitted", "auto-generated");
      m.setHeader("X-Pitcrew-Action", n.actionId().replaceAll("[^A-Za-z0-9._-]", ""));
      MimeMultipart alt = new MimeMultipart("alternative");
      MimeBodyPart text = new MimeBodyPart();
      text.setText(EmailTemplates.plain(n), StandardCharsets.UTF_8.name(), "plain");
      MimeBodyPart html = new MimeBodyPart();
      html.setText(EmailTemplates.html(n), StandardCharsets.UTF_8.name(), "html");
      alt.addBodyPart(text);
      alt.addBodyPart(html);
      m.setContent(alt);
      m.saveChanges();
      String proto = settings.security() == EmailSettings.Security.SSL ? "smtps" : "smtp";
      try (Transport t = session.getTransport(proto)) {
        t.connect();
        t.sendMessage(m, m.getAllRecipients());
      }
      return Optional.empty();
    } catch (AuthenticationFailedException e) {
      throw new DeliveryException(
          "SMTP authentication failed at " + settings.host() + "; check PITCREW_SMTP_USER/PASSWORD",
          false,
          Optional.empty(),
          null);
    } catch (SMTPSendFailedException e) {
      int code = e.getReturnCode();
      throw new DeliveryException(
          "SMTP " + code + " from " + settings.host(),
          code >= 400 && code < 500,
          Optional.empty(),
          null);
    } catch (SendFailedException e) {
      throw new DeliveryException(
          "SMTP server " + settings.host() + " refused the recipients",
          false,
          Optional.empty(),
          null);
    } catch (MessagingException e) {
      throw new DeliveryException(
          "could not send through "
              + settings.host()
              + ":"
              + settings.port()
              + ": "
              + e.getClass().getSimpleName(),
          true,
          Optional.empty(),
          null);
    }
  }

  List<InternetAddress> recipients(Notification n) {
    Set<InternetAddress> out = new LinkedHashSet<>();
    if (settings.toAuthor()) {
      n.commitAuthorEmail().flatMap(EmailNotifier::authorAddress).ifPresent(out::add);
    }
    if (out.isEmpty()) {
      out.addAll(to);
    }
    return List.copyOf(out);
  }

  // the author address comes from a commit, which anyone can write: one plain mailbox or nothing
  static Optional<InternetAddress> authorAddress(String raw) {
    if (raw == null || raw.length() > 254 || !raw.matches("[^\\s<>\",;()\\\\]+@[A-Za-z0-9.-]+")) {
      return Optional.empty();
    }
    if (raw.endsWith("@users.noreply.github.com") || raw.endsWith(".noreply.gitlab.com")) {
      return Optional.empty();
    }
    try {
      InternetAddress a = new InternetAddress(raw, true);
      a.validate();
      return Optional.of(a);
    } catch (AddressException e) {
      return Optional.empty();
    }
  }

  private static InternetAddress address(String variable, String raw) {
    try {
      InternetAddress a = new InternetAddress(raw.strip(), true);
      a.validate();
      return a;
    } catch (AddressException e) {
      throw new IllegalArgumentException(
          variable + " has an invalid address '" + raw.strip() + "': " + e.getMessage());
    }
  }

  private static Properties properties(EmailSettings s) {
    Properties p = new Properties();
    String proto = s.security() == EmailSettings.Security.SSL ? "smtps" : "smtp";
    p.put("mail.transport.protocol", proto);
    String k = "mail." + proto + ".";
    p.put(k + "host", s.host());
    p.put(k + "port", Integer.toString(s.port()));
    p.put(k + "auth", Boolean.toString(s.user().isPresent()));
    String ms = Long.toString(s.timeout().toMillis());
    p.put(k + "connectiontimeout", ms);
    p.put(k + "timeout", ms);
    p.put(k + "writetimeout", ms);
    if (s.security() == EmailSettings.Security.STARTTLS) {
      p.put(k + "starttls.enable", "true");
      p.put(k + "starttls.required", "true");
    }
    if (s.security() != EmailSettings.Security.NONE) {
      p.put(k + "ssl.checkserveridentity", "true");
    }
    return p;
  }

  private static Authenticator authenticator(EmailSettings s) {
    if (s.user().isEmpty()) {
      return null;
    }
    String user = s.user().get();
    String password = s.password().orElseThrow();
    return new Authenticator() {
      @Override
      protected PasswordAuthentication getPasswordAuthentication() {
        return new PasswordAuthentication(user, password);
      }
    };
  }
}

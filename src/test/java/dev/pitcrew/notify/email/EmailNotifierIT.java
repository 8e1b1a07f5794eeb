package dev.pitcrew.notify.email;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;
import dev.pitcrew.notify.DeliveryException;
import dev.pitcrew.notify.Samples;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Against GreenMail, a real SMTP server, on a free loopback port. */
class EmailNotifierIT {
  @RegisterExtension
  static final GreenMailExtension SMTP =
      new GreenMailExtension(
              new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP).dynamicPort())
          .withConfiguration(GreenMailConfiguration.aConfig().withUser("pitcrew", "s3cret-pass"))
          .withPerMethodLifecycle(true);

  private EmailSettings settings(List<String> to, boolean toAuthor, String password) {
    return new EmailSettings(
        "127.0.0.1",
        SMTP.getSmtp().getPort(),
        EmailSettings.Security.NONE,
        Optional.of("pitcrew"),
        Optional.of(password),
        "Pitcrew <pitcrew@acme.test>",
        to,
        toAuthor,
        Duration.ofSeconds(5));
  }

  @Test
  void sendsPlainTextAndHtmlAlternatives() throws Exception {
    new EmailNotifier(settings(List.of("team@acme.test"), false, "s3cret-pass"))
        .deliver(Samples.autoFixed());
    MimeMessage[] got = SMTP.getReceivedMessages();
    assertThat(got).hasSize(1);
    MimeMessage m = got[0];
    assertThat(m.getSubject())
        .isEqualTo("[Pitcrew] Pipeline auto-fixed: acme/user-service main #12345");
    assertThat(m.getAllRecipients()[0].toString()).isEqualTo("team@acme.test");
    assertThat(m.getHeader("Auto-Submitted")[0]).isEqualTo("auto-generated");
    MimeMultipart alt = (MimeMultipart) m.getContent();
    assertThat(alt.getContentType()).startsWith("multipart/alternative");
    assertThat(alt.getBodyPart(0).getContentType()).startsWith("text/plain");
    assertThat(alt.getBodyPart(1).getContentType()).startsWith("text/html");
    assertThat((String) alt.getBodyPart(0).getContent()).contains("Root cause: Missing dependency");
    assertThat((String) alt.getBodyPart(1).getContent()).contains("<h2>Pipeline Auto-Fixed</h2>");
  }

  @Test
  void sendsToTheCommitAuthorWhenConfigured() throws Exception {
    new EmailNotifier(settings(List.of("team@acme.test"), true, "s3cret-pass"))
        .deliver(Samples.escalated());
    assertThat(GreenMailUtil.getAddressList(SMTP.getReceivedMessages()[0].getAllRecipients()))
        .isEqualTo("dev@acme.test");
  }

  @Test
  void wrongCredentialsFailWithoutRetryAndWithoutThePassword() {
    EmailNotifier n = new EmailNotifier(settings(List.of("team@acme.test"), false, "wrong-pass"));
    assertThatThrownBy(() -> n.deliver(Samples.autoFixed()))
        .isInstanceOf(DeliveryException.class)
        .hasMessageContaining("SMTP authentication failed")
        .hasMessageNotContaining("wrong-pass")
        .satisfies(e -> assertThat(((DeliveryException) e).retryable()).isFalse());
    assertThat(SMTP.getReceivedMessages()).isEmpty();
  }

  @Test
  void anUnreachableServerIsRetryable() {
    EmailSettings s =
        new EmailSettings(
            "127.0.0.1",
            1,
            EmailSettings.Security.NONE,
            Optional.empty(),
            Optional.empty(),
            "pitcrew@acme.test",
            List.of("team@acme.test"),
            false,
            Duration.ofSeconds(2));
    assertThatThrownBy(() -> new EmailNotifier(s).deliver(Samples.autoFixed()))
        .isInstanceOf(DeliveryException.class)
        .satisfies(e -> assertThat(((DeliveryException) e).retryable()).isTrue());
  }

  @Test
  void invalidConfiguredAddressesFailAtStartUp() {
    assertThatThrownBy(
            () -> new EmailNotifier(settings(List.of("not an address"), false, "s3cret-pass")))
        .hasMessageContaining("PITCREW_NOTIFY_EMAIL_TO has an invalid address");
  }
}

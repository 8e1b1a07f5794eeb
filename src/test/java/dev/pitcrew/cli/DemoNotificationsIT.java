package dev.pitcrew.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetup;
import dev.pitcrew.notify.Receiver;
import jakarta.mail.internet.MimeMessage;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code pitcrew demo} with Slack and e-mail configured the way an operator configures them ({@code
 * PITCREW_SLACK_WEBHOOK_URL}, {@code PITCREW_SMTP_*}): each scenario's outcome arrives at a Slack
 * webhook receiver on loopback and in GreenMail, a real SMTP server.
 */
class DemoNotificationsIT {
  static final List<String> SCENARIOS =
      List.of("network-reset-first-connection", "python-assertion-failure");

  @RegisterExtension
  static final GreenMailExtension SMTP =
      new GreenMailExtension(
          new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP).dynamicPort());

  @TempDir Path tmp;

  @Test
  void theDemosOutcomesArriveInSlackAndByEmail() throws Exception {
    try (Receiver slack = new Receiver("/services/T0/B0/demo", Receiver.Response.of(200, "ok"))) {
      Map<String, String> env =
          Map.of(
              "PATH",
              System.getenv("PATH"),
              "PITCREW_SLACK_WEBHOOK_URL",
              slack.url("/services/T0/B0/demo"),
              "PITCREW_SMTP_HOST",
              "127.0.0.1",
              "PITCREW_SMTP_PORT",
              String.valueOf(SMTP.getSmtp().getPort()),
              "PITCREW_NOTIFY_EMAIL_FROM",
              "Pitcrew <pitcrew@lab.test>",
              "PITCREW_NOTIFY_EMAIL_TO",
              "team@lab.test");
      CommandLine cl = Cli.commandLine(env);
      StringWriter out = new StringWriter();
      cl.setOut(new PrintWriter(out));
      int code =
          cl.execute(
              "demo",
              "--scenario",
              SCENARIOS.get(0),
              "--scenario",
              SCENARIOS.get(1),
              "--lab-dir",
              tmp.resolve("lab").toString(),
              "--timeout",
              "240");
      assertThat(code).as(out.toString()).isZero();
      assertThat(out.toString()).contains("notifiers: notifications");

      // delivery runs with retries after the incident settles: give it a moment
      long until = System.currentTimeMillis() + 30_000;
      while (System.currentTimeMillis() < until
          && (slack.requests().size() < SCENARIOS.size()
              || SMTP.getReceivedMessages().length < SCENARIOS.size())) {
        Thread.sleep(250);
      }
      for (String s : SCENARIOS) {
        assertThat(slack.requests())
            .as("a Slack message about lab/" + s)
            .anySatisfy(
                r -> {
                  assertThat(r.method()).isEqualTo("POST");
                  assertThat(r.body()).contains("\"blocks\"", "lab/" + s);
                });
        assertThat(Arrays.stream(SMTP.getReceivedMessages()).map(DemoNotificationsIT::subject))
            .as("an e-mail about lab/" + s)
            .anySatisfy(
                subject -> assertThat(subject).startsWith("[Pitcrew]").contains("lab/" + s));
      }
      MimeMessage first = SMTP.getReceivedMessages()[0];
      assertThat(first.getAllRecipients()[0].toString()).isEqualTo("team@lab.test");
    }
  }

  private static String subject(MimeMessage m) {
    try {
      return m.getSubject();
    } catch (jakarta.mail.MessagingException e) {
      throw new IllegalStateException(e);
    }
  }
}

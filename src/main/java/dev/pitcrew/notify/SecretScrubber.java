package dev.pitcrew.notify;

import dev.pitcrew.logs.Redactor;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Replaces token look-alikes and our own configured secrets with {@code [REDACTED]} before any text
 * leaves through a sink. A stand-in until {@code logs/Redactor} lands: the fan-out runs every
 * outgoing notification through it, so a secret echoed in a log line never reaches Slack, e-mail, a
 * comment or an incident ticket (threat model T6).
 */
public final class SecretScrubber {
  public static final String MASK = "[REDACTED]";

  // Prefix-shaped tokens first; they are unambiguous. All patterns are linear (no nested repeats).
  private static final List<Pattern> PATTERNS =
      List.of(
          Pattern.compile(
              "-----BEGIN [A-Z ]*PRIVATE KEY-----[\\s\\S]{0,8000}?-----END [A-Z ]*PRIVATE KEY-----"),
          Pattern.compile("\\b(?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{20,255}\\b"),
          Pattern.compile("\\bgithub_pat_[A-Za-z0-9_]{20,255}\\b"),
          Pattern.compile("\\bglpat-[A-Za-z0-9_\\-]{20,64}\\b"),
          Pattern.compile("\\bgl(?:dt|rt|cbt|ptt|ft|imt|agent|oas)-[A-Za-z0-9_\\-]{20,64}\\b"),
          Pattern.compile("\\bxox[abposr]-[A-Za-z0-9\\-]{10,255}"),
          Pattern.compile("https://hooks\\.slack\\.com/[A-Za-z0-9/_\\-]{10,255}"),
          Pattern.compile("\\b(?:AKIA|ASIA|AGPA|AIDA|AROA)[0-9A-Z]{16}\\b"),
          Pattern.compile("\\bsk-ant-[A-Za-z0-9_\\-]{20,255}"),
          Pattern.compile("\\bsk-(?:proj-)?[A-Za-z0-9_\\-]{32,255}"),
          Pattern.compile("\\bnpm_[A-Za-z0-9]{36}\\b"),
          Pattern.compile("\\bpypi-[A-Za-z0-9_\\-]{50,255}"),
          Pattern.compile(
              "\\beyJ[A-Za-z0-9_\\-]{8,4096}\\.eyJ[A-Za-z0-9_\\-]{8,4096}\\.[A-Za-z0-9_\\-]{8,4096}"),
          // credentials inside URLs: scheme://user:password@host
          Pattern.compile("(?<=://)[^\\s:/@]{1,256}:[^\\s/@]{1,256}(?=@)"));

  // key=value, key: value, "key": "value" where the key names a secret
  private static final Pattern KEYED =
      Pattern.compile(
          "(?i)((?:password|passwd|pwd|secret|token|api[_-]?key|access[_-]?key|private[_-]?key"
              + "|client[_-]?secret|auth|authorization|routing[_-]?key|credentials?)"
              + "[\"']?\\s{0,3}[:=]\\s{0,3}[\"']?)"
              + "(?:(?:Bearer|Basic|token)\\s+)?([^\\s\"',;]{6,512})");

  private final List<String> known;
  private final Redactor redactor;

  /** A scrubber that also masks these exact values (our own tokens, passwords, keys). */
  public SecretScrubber(Collection<String> knownSecrets) {
    List<String> all = new ArrayList<>();
    for (String s : knownSecrets) {
      if (s != null && s.length() >= 6) {
        all.add(s);
        all.add(
            Base64.getEncoder()
                .encodeToString(s.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        all.add(java.net.URLEncoder.encode(s, java.nio.charset.StandardCharsets.UTF_8));
      }
    }
    // longest first, so a secret that contains another is masked whole
    all.sort((a, b) -> b.length() - a.length());
    this.known = List.copyOf(all);
    this.redactor = Redactor.of(knownSecrets.stream().filter(x -> x != null).toList());
  }

  public static SecretScrubber patternsOnly() {
    return new SecretScrubber(List.of());
  }

  /** The text with every secret look-alike replaced by {@link #MASK}; null stays null. */
  public String scrub(String text) {
    if (text == null || text.isEmpty()) {
      return text;
    }
    String out = redactor.mask(text);
    for (String secret : known) {
      out = out.replace(secret, MASK);
    }
    for (Pattern p : PATTERNS) {
      out = p.matcher(out).replaceAll(MASK);
    }
    Matcher m = KEYED.matcher(out);
    StringBuilder sb = new StringBuilder();
    while (m.find()) {
      String value = m.group(2);
      String replacement =
          value.equals(MASK) || value.startsWith("[REDACTED") ? m.group() : m.group(1) + MASK;
      m.appendReplacement(sb, Matcher.quoteReplacement(replacement));
    }
    m.appendTail(sb);
    return sb.toString();
  }

  /** Scrubs each element. */
  public List<String> scrub(List<String> texts) {
    return texts.stream().map(this::scrub).toList();
  }

  /** Every free-text field of the notification scrubbed; ids and URLs of our own stay. */
  public Notification scrub(Notification n) {
    return new Notification(
        n.kind(),
        n.actionId(),
        scrub(n.repository()),
        scrub(n.branch()),
        scrub(n.pipelineId()),
        scrub(n.pipelineUrl()),
        scrub(n.category()),
        scrub(n.rootCause()),
        scrub(n.evidenceLine()),
        scrub(n.riskLevel()),
        n.confidence(),
        scrub(n.actionTaken()),
        scrub(n.suggestions()),
        n.newPipelineUrl().map(this::scrub),
        n.newPipelineStatus().map(this::scrub),
        n.pullRequestUrl().map(this::scrub),
        n.approveUrl(),
        n.timeSavedMinutes(),
        scrub(n.attempts()),
        n.repo(),
        n.failedPullRequest(),
        n.commitAuthorEmail(),
        n.logsUrl().map(this::scrub),
        n.analysisUrl(),
        n.incidentUrl());
  }
}

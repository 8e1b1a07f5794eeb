package dev.pitcrew.policy;

/**
 * The risk policy's decision, with one sentence saying why.
 *
 * @param decision ALLOW (apply silently), NOTIFY (apply and announce), ASK (wait for a person's
 *     approval), DENY (do not apply; tell a person)
 */
public record Verdict(Decision decision, String reason) {
  public enum Decision {
    ALLOW,
    NOTIFY,
    ASK,
    DENY
  }
}

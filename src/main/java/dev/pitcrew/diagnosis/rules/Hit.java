package dev.pitcrew.diagnosis.rules;

import dev.pitcrew.playbook.FailurePattern;
import dev.pitcrew.playbook.Playbook;
import java.util.Map;

/** One match of one playbook pattern on one line. */
public record Hit(
    Playbook playbook,
    FailurePattern pattern,
    int line,
    String text,
    Map<String, String> captures) {}

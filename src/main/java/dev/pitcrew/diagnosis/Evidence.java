package dev.pitcrew.diagnosis;

/** A log line that backs a claim: its 1-based number and its text as read. */
public record Evidence(int line, String text) {}

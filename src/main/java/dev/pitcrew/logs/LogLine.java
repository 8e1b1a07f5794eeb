package dev.pitcrew.logs;

/**
 * One line of a log as read.
 *
 * @param number 1-based line number in the log after decompression
 * @param text the line as shown to a person: ANSI escapes and control characters removed, a {@code
 *     \r} progress line reduced to what a terminal would show last
 * @param clean {@link #text} without the CI system's own decoration (timestamps, {@code ##[error]}
 *     prefixes, section markers): what patterns match against
 * @param truncated whether the line was longer than the reader's cap and was cut
 */
public record LogLine(int number, String text, String clean, boolean truncated) {}

package dev.pitcrew.diagnosis.rules;

import dev.pitcrew.diagnosis.Evidence;
import java.util.List;

/**
 * Everything a scan learned about one log, in bounded memory: the playbook hits, the generic
 * error-looking lines, the CI system's own failure marks, and reading statistics. The rule engine
 * decides from it; the LLM analyzer reads its regions.
 */
public record ScanResult(
    String file,
    List<Hit> hits,
    List<Evidence> errorLines,
    List<Evidence> failureMarks,
    List<Evidence> tail,
    int failureRegionStart,
    int failureRegionEnd,
    Integer exitCode,
    int lines,
    long bytes,
    long truncatedLines,
    boolean truncated,
    int ignoredAsInPreviousSuccess) {}

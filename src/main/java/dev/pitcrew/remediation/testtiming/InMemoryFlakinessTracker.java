package dev.pitcrew.remediation.testtiming;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A {@link FlakinessTracker} in memory: for one process's lifetime (CLI, tests). */
public final class InMemoryFlakinessTracker implements FlakinessTracker {
  private final int window;

  /** repository → test → run key → passed, in insertion order (oldest first). */
  private final Map<String, Map<String, LinkedHashMap<String, Boolean>>> runs =
      new LinkedHashMap<>();

  public InMemoryFlakinessTracker() {
    this(TestHistory.DEFAULT_WINDOW);
  }

  /** Rates over the last {@code window} runs of each test. */
  public InMemoryFlakinessTracker(int window) {
    if (window < 1) {
      throw new IllegalArgumentException("the window must be at least 1 run, got " + window);
    }
    this.window = window;
  }

  @Override
  public synchronized void record(String repository, String testId, String runKey, boolean passed) {
    runs.computeIfAbsent(repository, k -> new LinkedHashMap<>())
        .computeIfAbsent(testId, k -> new LinkedHashMap<>())
        .putIfAbsent(runKey, passed);
  }

  @Override
  public synchronized Flakiness flakiness(String repository, String testId) {
    LinkedHashMap<String, Boolean> r = runs.getOrDefault(repository, Map.of()).get(testId);
    if (r == null) {
      return Flakiness.NONE;
    }
    List<Boolean> all = new ArrayList<>(r.values());
    List<Boolean> recent = all.subList(Math.max(0, all.size() - window), all.size());
    int failures = (int) recent.stream().filter(p -> !p).count();
    return new Flakiness(recent.size(), failures);
  }

  @Override
  public synchronized List<String> failedIn(String repository, String runKey) {
    List<String> out = new ArrayList<>();
    runs.getOrDefault(repository, Map.of())
        .forEach(
            (test, byRun) -> {
              if (Boolean.FALSE.equals(byRun.get(runKey))) {
                out.add(test);
              }
            });
    return out;
  }
}

package dev.pitcrew.service;

import dev.pitcrew.cli.PitcrewService;
import dev.pitcrew.config.PitcrewConfig;
import dev.pitcrew.policy.Verdict;
import dev.pitcrew.store.Database;
import java.util.HashMap;
import java.util.Map;

/**
 * A replica in its own JVM for crash tests: the test kills it with SIGKILL mid-step. Settings come
 * from the environment; {@code TEST_HOOK} makes the remediation pause before or after it acts.
 */
public final class ReplicaMain {
  private ReplicaMain() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> env = new HashMap<>(System.getenv());
    PitcrewConfig config = PitcrewConfig.of(env);
    Database db = Database.open(config);
    TableForge forge = new TableForge(db.jdbi(), env.getOrDefault("PITCREW_REPLICA_NAME", ""));
    PitcrewService service =
        PitcrewService.start(
            config,
            TestParts.parts(forge, env.getOrDefault("TEST_HOOK", "none"), Verdict.Decision.ALLOW),
            "127.0.0.1",
            0);
    System.out.println("READY " + service.port());
    System.out.flush();
    Thread.sleep(Long.MAX_VALUE);
  }
}

package dev.pitcrew.playbook;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The playbooks in force, by id; a later playbook with the same id overrides an earlier one. */
public final class PlaybookCatalog {
  private final Map<String, Playbook> byId = new LinkedHashMap<>();
  private final List<String> overrides = new ArrayList<>();

  /** Adds a playbook; returns a note when it overrides one already present. */
  public Optional<String> add(Playbook p) {
    Playbook old = byId.put(p.id(), p);
    if (old != null) {
      String note = p.source() + ": overrides the playbook '" + p.id() + "' from " + old.source();
      overrides.add(note);
      return Optional.of(note);
    }
    return Optional.empty();
  }

  public List<Playbook> all() {
    return List.copyOf(byId.values());
  }

  public Optional<Playbook> get(String id) {
    return Optional.ofNullable(byId.get(id));
  }

  public List<String> overrides() {
    return Collections.unmodifiableList(overrides);
  }

  public int size() {
    return byId.size();
  }
}

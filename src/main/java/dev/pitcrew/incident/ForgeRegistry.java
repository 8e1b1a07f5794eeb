package dev.pitcrew.incident;

import dev.pitcrew.forge.Forge;
import dev.pitcrew.forge.Provider;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The configured forges, one per provider; a provider without credentials has none. */
public final class ForgeRegistry {
  private final Map<Provider, Forge> forges = new EnumMap<>(Provider.class);

  public ForgeRegistry(List<Forge> forges) {
    for (Forge f : forges) {
      if (this.forges.putIfAbsent(f.provider(), f) != null) {
        throw new IllegalArgumentException("two forges for " + f.provider().wire());
      }
    }
  }

  public Optional<Forge> forProvider(Provider p) {
    return Optional.ofNullable(forges.get(p));
  }

  public Map<Provider, Forge> all() {
    return Map.copyOf(forges);
  }
}

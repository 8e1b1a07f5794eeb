package dev.pitcrew.forge;

/**
 * A repository on a forge.
 *
 * @param host the web host ({@code github.com}, a GitHub Enterprise or GitLab host, or {@code
 *     local})
 * @param fullName {@code owner/name} on GitHub, the full project path on GitLab
 * @param projectId GitLab's numeric project id when known, otherwise null
 */
public record RepoRef(Provider provider, String host, String fullName, String projectId) {
  public RepoRef(Provider provider, String host, String fullName) {
    this(provider, host, fullName, null);
  }
}

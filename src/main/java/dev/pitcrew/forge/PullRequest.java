package dev.pitcrew.forge;

/** A pull request (GitHub) or merge request (GitLab). */
public record PullRequest(
    RepoRef repo, String number, String url, String head, String base, String state) {}

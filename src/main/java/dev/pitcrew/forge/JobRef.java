package dev.pitcrew.forge;

/** One job of a run or pipeline. */
public record JobRef(RunRef run, String jobId, String name) {}

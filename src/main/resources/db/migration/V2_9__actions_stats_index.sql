-- area: stats. Common subset of H2 and PostgreSQL, like V1.

-- GET /api/stats counts its window in the database: the counts that need a person, an escalation, a
-- rejection or a fix that did not hold read these columns, which no index of V2_7 holds. Covering them
-- keeps that count to a narrow index range instead of every wide row (evidence, steps) of the window.
CREATE INDEX actions_stats_idx ON actions (created_at, status, outcome, attempt, approval_required, new_pipeline_status);

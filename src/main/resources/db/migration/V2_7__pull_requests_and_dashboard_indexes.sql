-- area: dash (issue 7). Common subset of H2 and PostgreSQL, like V1.

-- The pull/merge request a failed run belongs to, from the webhook or the forge, so that the
-- notification can comment on it. Empty when the run belongs to none.
ALTER TABLE incidents ADD COLUMN pull_request_number VARCHAR(40);
ALTER TABLE incidents ADD COLUMN pull_request_url VARCHAR(2000);
ALTER TABLE incidents ADD COLUMN pull_request_head VARCHAR(300);
ALTER TABLE incidents ADD COLUMN pull_request_base VARCHAR(300);

-- Covering indexes for the dashboard's aggregates: each GROUP BY reads one narrow index instead of
-- every wide row (evidence, steps), which keeps GET / well under a second with 100,000 actions.
-- The failure trend and time saved (last 30 days): a range of created_at.
CREATE INDEX actions_trend_idx ON actions (created_at, outcome, auto_fix_applied, failure_category, time_to_fix);
-- Top categories and success rate by category: every action, by category.
CREATE INDEX actions_category_idx ON actions (failure_category, outcome);
-- Playbooks with their live success rate.
CREATE INDEX actions_playbook_idx ON actions (playbook_used, outcome, failure_category);
-- Pending approvals, oldest first: a short range of one status.
CREATE INDEX actions_pending_idx ON actions (status, created_at, action_id);

-- Copied from the service branch's db/migration/V1__service.sql (incidents, actions, audit_log) until the
-- store is on main; then the tests migrate with Flyway instead and this file goes.

-- The workflow's own state for one failed run attempt; keyed by forge + run + attempt.
CREATE TABLE incidents (
  incident_id VARCHAR(40) PRIMARY KEY,
  run_key VARCHAR(700) NOT NULL,
  provider VARCHAR(16) NOT NULL,
  host VARCHAR(300) NOT NULL,
  repository VARCHAR(300) NOT NULL,
  project_id VARCHAR(40),
  run_id VARCHAR(100) NOT NULL,
  run_attempt INT NOT NULL,
  failed_job_id VARCHAR(100),
  actor VARCHAR(200),
  step VARCHAR(32) NOT NULL,
  diagnosis_json TEXT,
  plan_json TEXT,
  verdict VARCHAR(16),
  verdict_reason VARCHAR(2000),
  decided_by VARCHAR(200),
  new_run_key VARCHAR(700),
  new_run_id VARCHAR(100),
  new_run_attempt INT,
  step_failures INT NOT NULL DEFAULT 0,
  created_at TIMESTAMP WITH TIME ZONE NOT NULL,
  updated_at TIMESTAMP WITH TIME ZONE NOT NULL,
  CONSTRAINT incidents_run_uq UNIQUE (run_key)
);
CREATE INDEX incidents_new_run_idx ON incidents (new_run_key);

-- The execution-history record of docs/contracts.md (/api/actions), one per incident.
CREATE TABLE actions (
  action_id VARCHAR(40) PRIMARY KEY,
  pipeline_id VARCHAR(100) NOT NULL,
  pipeline_url VARCHAR(2000),
  repository VARCHAR(300) NOT NULL,
  provider VARCHAR(16) NOT NULL,
  branch VARCHAR(300),
  commit_sha VARCHAR(64),
  failure_category VARCHAR(32),
  root_cause VARCHAR(4000),
  confidence DOUBLE PRECISION,
  evidence TEXT,
  playbook_used VARCHAR(200),
  risk_level VARCHAR(8),
  status VARCHAR(24) NOT NULL,
  auto_fix_applied BOOLEAN NOT NULL,
  approval_required BOOLEAN NOT NULL,
  remediation_steps_executed TEXT,
  outcome VARCHAR(16) NOT NULL,
  new_pipeline_id VARCHAR(100),
  new_pipeline_url VARCHAR(2000),
  new_pipeline_status VARCHAR(16),
  pull_request_url VARCHAR(2000),
  incident_url VARCHAR(2000),
  attempt INT NOT NULL,
  time_to_fix DOUBLE PRECISION,
  created_at TIMESTAMP WITH TIME ZONE NOT NULL,
  finished_at TIMESTAMP WITH TIME ZONE,
  user_notified BOOLEAN NOT NULL,
  CONSTRAINT actions_incident_fk FOREIGN KEY (action_id) REFERENCES incidents (incident_id)
);
CREATE INDEX actions_created_idx ON actions (created_at);
CREATE INDEX actions_status_idx ON actions (status);

-- Append-only, hash-chained audit log; audit_head serialises appends across replicas (row lock).
CREATE TABLE audit_log (
  seq BIGINT PRIMARY KEY,
  incident_id VARCHAR(40),
  at TIMESTAMP WITH TIME ZONE NOT NULL,
  actor VARCHAR(200) NOT NULL,
  event VARCHAR(64) NOT NULL,
  detail TEXT NOT NULL,
  prev_hash VARCHAR(64) NOT NULL,
  hash VARCHAR(64) NOT NULL
);
CREATE INDEX audit_incident_idx ON audit_log (incident_id, seq);
CREATE TABLE audit_head (
  id INT PRIMARY KEY,
  seq BIGINT NOT NULL,
  hash VARCHAR(64) NOT NULL
);
INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

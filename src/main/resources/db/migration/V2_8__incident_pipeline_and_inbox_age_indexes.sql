-- area: service (issue 3). Common subset of H2 and PostgreSQL, like V1.

-- Every failed delivery counts the incidents its pipeline already had (the attempt counter, at most
-- three automatic attempts per pipeline). Without an index that count reads the whole incidents
-- table, so the inbox drain slowed down as the table grew: a scan per delivery.
CREATE INDEX incidents_pipeline_idx ON incidents (repository, run_id, provider, host);

-- Handled deliveries older than PITCREW_INBOX_RETENTION are removed by age; the payloads (a webhook
-- is typically 10-30 KB) are most of the database's size after a few months.
CREATE INDEX inbox_received_idx ON inbox (received_at);

-- The scheduler (jobs/src/scheduler.rs): periodic and one-off system work,
-- run exactly once per due time across every API instance and worker.
--
-- A row is one schedule: a kind (which handler), a key (unique per kind, so
-- re-scheduling the same thing updates it instead of adding a second row),
-- a payload and the next due time. A runner claims due rows with
-- `FOR UPDATE SKIP LOCKED`, setting a fresh lease token; the handler's
-- effects and the move to the next due time commit in one transaction that
-- first re-locks the row *by that token* (fencing): a runner whose lease
-- lapsed and was taken over changes nothing. System work: no tenant reads
-- or writes this table (igny8_app has no grant on it).
CREATE TABLE scheduled_tasks (
  id          uuid PRIMARY KEY,
  kind        text NOT NULL CHECK (length(kind) BETWEEN 1 AND 100),
  key         text NOT NULL CHECK (length(key) <= 200),
  payload     jsonb NOT NULL DEFAULT '{}'::jsonb,
  due_at      timestamptz NOT NULL,
  -- the current claim: its token (the fence) and until when it holds
  lease_token uuid,
  lease_until timestamptz,
  -- failed runs of the current due time (reset when it completes)
  attempts    integer NOT NULL DEFAULT 0,
  last_error  text,
  -- completed runs, and the due time and clock time of the last one
  runs        bigint NOT NULL DEFAULT 0,
  last_due_at timestamptz,
  last_run_at timestamptz,
  created_at  timestamptz NOT NULL DEFAULT now(),
  UNIQUE (kind, key)
);
CREATE INDEX scheduled_tasks_due_idx ON scheduled_tasks (due_at);
GRANT SELECT, INSERT, UPDATE, DELETE ON scheduled_tasks TO igny8_system;

-- What the dashboard shows of each host's executor, and what follows a failed create: the policy says whether the
-- workload is placed again elsewhere, and a placement made in place of a failed one says which.
-- Every change only adds, with defaults, so replicas of the previous version go on against this schema while others
-- upgrade.

-- The executor's heartbeats (POST /api/v1/hosts/{name}/heartbeat). last_heartbeat (V1) keeps its name for those
-- replicas; every heartbeat and every inventory report set it now.
ALTER TABLE hosts
    ADD COLUMN executor_version    text,
    -- when the executor that sent the last heartbeat started, by its own clock
    ADD COLUMN executor_started_at timestamptz,
    -- when the host last reported its inventory (PUT /api/v1/hosts/{name}/inventory): its drift was read then
    ADD COLUMN last_inventory_at   timestamptz;
-- until now only inventory reports set last_heartbeat
UPDATE hosts SET last_inventory_at = last_heartbeat;

-- Each host's pending and failed actions, counted by every heartbeat and host view, and the pending ones of all
-- hosts by the metrics: small, as most actions end done or cancelled.
CREATE INDEX host_actions_pending_failed_idx ON host_actions (host_id, state) WHERE state IN ('pending', 'failed');

-- What follows a failed create of a placement made under the policy: release (it stays failed, its capacity free)
-- or replace (the workload is placed again, away from the parents its creates failed on).
ALTER TABLE policies
    ADD COLUMN on_failure text NOT NULL DEFAULT 'release',
    ADD CONSTRAINT policies_on_failure_known CHECK (on_failure IN ('release', 'replace'));

-- A placement made in place of a failed one names it; a failed placement is replaced at most once (the unique index
-- is also the foreign key's). replacements counts the re-placements in a row that led to this placement (0 for one a
-- scheduler asked for), which mdevplan.dispatch.max-replacements bounds.
ALTER TABLE placements
    ADD COLUMN replacement_of bigint REFERENCES placements (id) ON DELETE SET NULL,
    ADD COLUMN replacements   integer NOT NULL DEFAULT 0,
    ADD CONSTRAINT placements_replacements_not_negative CHECK (replacements >= 0);
CREATE UNIQUE INDEX placements_replacement_of_unique ON placements (replacement_of);

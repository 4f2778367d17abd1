-- What each host's executor must do to bring its devices in line with the placements: one row per action, applied by
-- the host in id order, written in the same transaction as the placement change that asks for it (so no placement
-- is ever made or released without its action) and acknowledged only once the executor's result is stored.

-- Ids come in blocks of 50 like every other table's (V2). The service inserts these rows in SQL with nextval(), whose
-- values only grow, so a host's actions in id order are in the order they were written: a remove never overtakes
-- the create of the same device.
CREATE SEQUENCE host_actions_id_seq INCREMENT BY 50;

CREATE TABLE host_actions (
    id             bigint      PRIMARY KEY DEFAULT nextval('host_actions_id_seq'),
    host_id        bigint      NOT NULL REFERENCES hosts (id) ON DELETE CASCADE,
    -- a fleet import deletes the placements and with them what was still to be done for them
    placement_id   bigint      NOT NULL REFERENCES placements (id) ON DELETE CASCADE,
    op             text        NOT NULL,
    device_uuid    uuid        NOT NULL,
    -- what a create makes; a remove needs only the device's UUID. Copied from the placement, so the action stays
    -- complete when the parent vanishes from the host's inventory (the placement then loses its parent).
    parent_address text,
    type_id        text,
    instances      integer,
    -- attributes written in order after create, as mdevctl keeps them: [{"mdev/<name>": "<value>"}, ...]
    attrs          jsonb       NOT NULL DEFAULT '[]'::jsonb,
    -- pending until the executor's result is stored (an action handed out and never answered is handed out
    -- again); cancelled when the placement was released before its create was handed out
    state          text        NOT NULL DEFAULT 'pending',
    -- the executor's error for a failed action: the errno it met (null when it refused before any write)
    result_errno   text,
    result_message text,
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT host_actions_op_known CHECK (op IN ('create', 'remove')),
    CONSTRAINT host_actions_state_known CHECK (state IN ('pending', 'done', 'failed', 'cancelled')),
    CONSTRAINT host_actions_create_complete
        CHECK (op <> 'create' OR (parent_address IS NOT NULL AND type_id IS NOT NULL AND instances IS NOT NULL)),
    CONSTRAINT host_actions_instances_positive CHECK (instances IS NULL OR instances > 0),
    CONSTRAINT host_actions_attrs_array CHECK (jsonb_typeof(attrs) = 'array'),
    CONSTRAINT host_actions_message_when_failed CHECK (state <> 'failed' OR result_message IS NOT NULL),
    CONSTRAINT host_actions_result_when_finished
        CHECK (state IN ('done', 'failed') OR (result_errno IS NULL AND result_message IS NULL)),
    -- a placement's device is created once and removed at most once; also the index of placement_id
    CONSTRAINT host_actions_placement_op_unique UNIQUE (placement_id, op)
);
ALTER SEQUENCE host_actions_id_seq OWNED BY host_actions.id;

-- A host's pending actions in order (every long poll); also the index of host_id.
CREATE INDEX host_actions_host_state_idx ON host_actions (host_id, state, id);

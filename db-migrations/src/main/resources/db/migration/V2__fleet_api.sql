-- What the service's fleet API needs on top of the V1 inventory: batched inserts, drift on placements, placements
-- that outlive a vanished parent, and one-time start-up markers.

-- Ids come from plain sequences in blocks of 50 instead of identity columns: Hibernate then allocates a block per
-- round trip and batches the inserts of a fleet import (hundreds of thousands of rows), and validates the sequences
-- (PostgreSQL hides identity sequences from information_schema.sequences). Plain INSERTs keep working: each takes
-- the value nextval() returns, which no block handed to Hibernate contains. Each sequence starts a block past the
-- largest id, as Hibernate uses the block (value - 49 .. value].
DO $$
DECLARE
    tab text;
BEGIN
    FOREACH tab IN ARRAY ARRAY['hosts', 'parents', 'pools', 'types', 'devices', 'placements'] LOOP
        EXECUTE format('ALTER TABLE %I ALTER COLUMN id DROP IDENTITY', tab);
        EXECUTE format('CREATE SEQUENCE %I INCREMENT BY 50 OWNED BY %I.id', tab || '_id_seq', tab);
        EXECUTE format('SELECT setval(%L, coalesce((SELECT max(id) FROM %I), 0) + 51, false)', tab || '_id_seq', tab);
        EXECUTE format('ALTER TABLE %I ALTER COLUMN id SET DEFAULT nextval(%L)', tab, tab || '_id_seq');
    END LOOP;
END
$$;

-- Why a live placement differs from what its host reports (its device is gone, or reported elsewhere or otherwise);
-- null while in step. A placement is marked, never deleted, when its host's inventory disagrees.
ALTER TABLE placements ADD COLUMN drift text;

-- A parent that disappears from its host's inventory keeps its placements: they lose the parent and carry a drift
-- note instead, so an applying or active placement may lack a parent only when it says why.
ALTER TABLE placements
    DROP CONSTRAINT placements_parent_id_fkey,
    ADD CONSTRAINT placements_parent_id_fkey FOREIGN KEY (parent_id) REFERENCES parents (id) ON DELETE SET NULL;
ALTER TABLE placements
    DROP CONSTRAINT placements_target_when_placed,
    ADD CONSTRAINT placements_target_when_placed
        CHECK (state NOT IN ('applying', 'active')
               OR (device_uuid IS NOT NULL AND (parent_id IS NOT NULL OR drift IS NOT NULL)));

-- Things that happened once to this database (e.g. 'demo-fleet': the demo fleet was offered), so start-up tasks
-- never repeat after a restart.
CREATE TABLE service_markers (
    name       text PRIMARY KEY,
    created_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT service_markers_name_not_blank CHECK (btrim(name) <> '')
);

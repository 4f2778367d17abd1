-- What online placement needs: a per-host version of the books, so that every replica's in-memory index of free
-- capacity can tell when its view of a host is out of date, and workload ids that can be placed again once released.

-- Bumped, under the host row's lock, by every change to what holds capacity on the host or to what it offers: a
-- placement made, released or failed, an inventory report. A replica that saw version n of a host and finds n under
-- the lock knows its view is exact; otherwise it reloads the host before it books anything there.
ALTER TABLE hosts ADD COLUMN usage_version bigint NOT NULL DEFAULT 0;

-- A workload has at most one live placement; released and failed ones stay as history and do not block a new one.
ALTER TABLE placements DROP CONSTRAINT placements_workload_unique;
CREATE UNIQUE INDEX placements_workload_live_unique ON placements (workload)
    WHERE state IN ('pending', 'applying', 'active');
CREATE INDEX placements_workload_idx ON placements (workload);

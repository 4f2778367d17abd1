package io.mdevplan.web.testing;

/**
 * SQL that checks the hard rules from the rows alone, sharing no code with the service: what a placement test
 * asserts is empty.
 */
public final class PoolAudits {

    /**
     * Every pool whose use is over its capacity, as "host/parent/pool used/capacity": devices, plus live placements
     * whose device no host reports yet, plus scenarios' reservations.
     */
    public static final String OVERBOOKED_POOLS = """
            SELECT h.name || '/' || pa.address || '/' || po.name || ' ' || used.total || '/' || po.capacity
            FROM pools po
            JOIN parents pa ON pa.id = po.parent_id
            JOIN hosts h ON h.id = pa.host_id
            CROSS JOIN LATERAL (
                SELECT coalesce(sum(tc.cost * holder.instances), 0) AS total
                FROM (SELECT d.type_id, d.instances FROM devices d WHERE d.parent_id = pa.id
                      UNION ALL
                      SELECT p.type_id, p.instances FROM placements p
                      WHERE p.parent_id = pa.id AND p.state IN ('pending', 'applying', 'active', 'reserved')
                        AND NOT EXISTS (SELECT 1 FROM devices d WHERE d.uuid = p.device_uuid)) holder
                JOIN types t ON t.parent_id = pa.id AND t.type_id = holder.type_id
                JOIN type_costs tc ON tc.type_ref = t.id AND tc.pool_name = po.name) used
            WHERE used.total > po.capacity
            ORDER BY 1
            """;

    /** Every host holding two live placements of one anti-affinity group, as "host group count". */
    public static final String ANTI_AFFINITY_BREACHES = """
            SELECT h.name || ' ' || p.anti_affinity_group || ' ' || count(*)
            FROM placements p JOIN parents pa ON pa.id = p.parent_id JOIN hosts h ON h.id = pa.host_id
            WHERE p.state IN ('pending', 'applying', 'active') AND p.anti_affinity_group IS NOT NULL
            GROUP BY h.name, p.anti_affinity_group HAVING count(*) > 1
            ORDER BY 1
            """;

    /**
     * Every parent that does not mix types but holds devices, live placements or reservations of two, as
     * "host/parent n".
     */
    public static final String MIXED_TYPE_BREACHES = """
            SELECT h.name || '/' || pa.address || ' ' || count(DISTINCT holder.type_id)
            FROM parents pa JOIN hosts h ON h.id = pa.host_id
            JOIN (SELECT d.parent_id, d.type_id FROM devices d
                  UNION ALL
                  SELECT p.parent_id, p.type_id FROM placements p
                  WHERE p.state IN ('pending', 'applying', 'active', 'reserved')) holder ON holder.parent_id = pa.id
            WHERE NOT pa.mixed_types
            GROUP BY h.name, pa.address HAVING count(DISTINCT holder.type_id) > 1
            ORDER BY 1
            """;

    private PoolAudits() {
    }
}

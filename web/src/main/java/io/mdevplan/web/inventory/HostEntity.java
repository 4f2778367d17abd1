package io.mdevplan.web.inventory;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** A host of the fleet (table hosts). Entities are mutable and not final: Hibernate proxies and fills them. */
@Entity
@Table(name = "hosts")
public class HostEntity extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "hosts_id")
    @SequenceGenerator(name = "hosts_id", sequenceName = "hosts_id_seq", allocationSize = 50)
    public Long id;

    @Column(nullable = false)
    public String name;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false)
    public Map<String, String> labels = new HashMap<>();

    public boolean schedulable = true;

    // The executor's columns are written by SQL alone (heartbeats, inventory reports): read-only here, so that no
    // entity flushed later writes back what it read before a heartbeat.

    /** When the host's executor last sent a heartbeat or its inventory; null if it never did. */
    @Column(name = "last_heartbeat", insertable = false, updatable = false)
    public Instant lastHeartbeatAt;

    /** When the host last reported its inventory (PUT /api/v1/hosts/{name}/inventory); null if it never did. */
    @Column(name = "last_inventory_at", insertable = false, updatable = false)
    public Instant lastInventoryAt;

    /** The version its executor gave with the last heartbeat. */
    @Column(name = "executor_version", insertable = false, updatable = false)
    public String executorVersion;

    /** When the executor that sent the last heartbeat started, by its clock. */
    @Column(name = "executor_started_at", insertable = false, updatable = false)
    public Instant executorStartedAt;

    @Version
    public long version;
}

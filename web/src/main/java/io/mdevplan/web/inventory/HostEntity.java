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

    /** When the host last reported its inventory (PUT /api/v1/hosts/{name}/inventory); null if it never did. */
    @Column(name = "last_heartbeat")
    public Instant lastHeartbeat;

    @Version
    public long version;
}

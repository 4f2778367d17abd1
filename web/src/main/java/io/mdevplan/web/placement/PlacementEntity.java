package io.mdevplan.web.placement;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

import org.hibernate.annotations.CreationTimestamp;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.annotations.UpdateTimestamp;
import org.hibernate.type.SqlTypes;

import io.mdevplan.web.inventory.ParentEntity;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** A workload's request and where the service put it (table placements). */
@Entity
@Table(name = "placements")
public class PlacementEntity extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "placements_id")
    @SequenceGenerator(name = "placements_id", sequenceName = "placements_id_seq", allocationSize = 50)
    public Long id;

    @Column(nullable = false)
    public String workload;

    @Column(name = "type_id", nullable = false)
    public String typeId;

    public int instances = 1;

    public int priority = 1;

    @Column(name = "anti_affinity_group")
    public String antiAffinityGroup;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "host_selector", nullable = false)
    public Map<String, String> hostSelector = new HashMap<>();

    /** The policy's name; null means the default policy. */
    public String policy;

    /** Null until a target is chosen, and after the parent vanished from its host (then drift says so). */
    @ManyToOne(fetch = FetchType.LAZY)
    @JoinColumn(name = "parent_id")
    public ParentEntity parent;

    @Column(name = "device_uuid")
    public UUID deviceUuid;

    @Convert(converter = PlacementStateConverter.class)
    @Column(nullable = false)
    public PlacementState state = PlacementState.PENDING;

    public String reason;

    /** Why the host's inventory disagrees with this placement; null while in step. */
    public String drift;

    /** The failed placement this one was made in place of; null for one a scheduler asked for. */
    @Column(name = "replacement_of")
    public Long replacementOf;

    /** The re-placements in a row that led to this placement, bounded by mdevplan.dispatch.max-replacements. */
    public int replacements;

    /** The scenario whose commit made this placement (dispatched or reserved); null for every other. */
    @Column(name = "scenario_id")
    public Long scenarioId;

    @CreationTimestamp
    @Column(name = "created_at", nullable = false, updatable = false)
    public Instant createdAt;

    @UpdateTimestamp
    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    @Version
    public long version;
}

package io.mdevplan.web.inventory;

import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** A device that exists on a parent as its host last reported it (table devices). */
@Entity
@Table(name = "devices")
public class DeviceEntity extends PanacheEntityBase {

    /** Every device the service stores exists in sysfs; 'defined' (an mdevctl definition only) is the executor's. */
    public static final String ACTIVE = "active";
    /** The drift of a device that no live placement owns. */
    public static final String UNPLACED = "unplaced by mdevplan";

    @Id
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "devices_id")
    @SequenceGenerator(name = "devices_id", sequenceName = "devices_id_seq", allocationSize = 50)
    public Long id;

    @Column(nullable = false)
    public UUID uuid;

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "parent_id")
    public ParentEntity parent;

    @Column(name = "type_id", nullable = false)
    public String typeId;

    public int instances = 1;

    public String workload;

    @Column(nullable = false)
    public String state = ACTIVE;

    /** Why the device differs from what the service placed; null while in step. */
    public String drift;
}

package io.mdevplan.web.inventory;

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

import io.mdevplan.planner.fleet.Aggregation;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** An mdev type a parent offers (table types); its costs are TypeCostEntity rows. */
@Entity
@Table(name = "types")
public class TypeEntity extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "types_id")
    @SequenceGenerator(name = "types_id", sequenceName = "types_id_seq", allocationSize = 50)
    public Long id;

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "parent_id")
    public ParentEntity parent;

    /** The sysfs type directory name, e.g. mtty-2 or nvidia-46. */
    @Column(name = "type_id", nullable = false)
    public String typeId;

    public String name;

    @Column(name = "device_api")
    public String deviceApi;

    @Convert(converter = AggregationConverter.class)
    @Column(nullable = false)
    public Aggregation aggregation = Aggregation.NONE;

    /** As the document gave it: null where the document left it out. */
    @Column(name = "max_aggregation")
    public Integer maxAggregation;
}

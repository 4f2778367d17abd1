package io.mdevplan.web.inventory;

import java.io.Serializable;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/**
 * What one instance of a type costs of one pool of its parent (table type_costs). A row of its own rather than a
 * collection of TypeEntity, so a whole fleet's costs load in one query.
 */
@Entity
@Table(name = "type_costs")
@IdClass(TypeCostEntity.Key.class)
public class TypeCostEntity extends PanacheEntityBase {

    /** The id of the TypeEntity. */
    @Id
    @Column(name = "type_ref")
    public Long typeRef;

    @Id
    @Column(name = "pool_name")
    public String poolName;

    public long cost;

    public record Key(Long typeRef, String poolName) implements Serializable {
    }
}

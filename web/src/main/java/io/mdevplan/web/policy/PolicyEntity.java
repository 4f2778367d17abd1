package io.mdevplan.web.policy;

import java.util.HashMap;
import java.util.Map;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** A named weighting of the soft placement rules (table policies); at most one is the default. */
@Entity
@Table(name = "policies")
public class PolicyEntity extends PanacheEntityBase {

    @Id
    public String name;

    public String description;

    /** Every soft rule with its weight (0 switches it off), as the planner's Policy normalises them. */
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false)
    public Map<String, Long> weights = new HashMap<>();

    @Column(name = "is_default", nullable = false)
    public boolean isDefault;

    /** What follows a failed create of a placement made under this policy: release or replace. */
    @Column(name = "on_failure", nullable = false)
    public String onFailure = OnFailure.RELEASE.json();
}

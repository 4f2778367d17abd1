package io.mdevplan.web.inventory;

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
import jakarta.persistence.Version;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** A parent device on a host (table parents): a PCI address such as 0000:00:02.0, or a name such as mtty. */
@Entity
@Table(name = "parents")
public class ParentEntity extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "parents_id")
    @SequenceGenerator(name = "parents_id", sequenceName = "parents_id_seq", allocationSize = 50)
    public Long id;

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "host_id")
    public HostEntity host;

    @Column(nullable = false)
    public String address;

    public String driver;

    @Column(name = "mixed_types")
    public boolean mixedTypes = true;

    @Version
    public long version;
}

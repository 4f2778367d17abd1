package io.mdevplan.executor.sysfs;

import java.util.List;

/** A parent device as sysfs shows it: its address (the entry name under mdev_bus) and the types it offers. */
public record SysfsParent(String address, List<SysfsType> types) {

    public SysfsParent {
        types = List.copyOf(types);
    }
}

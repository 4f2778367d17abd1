package io.mdevplan.web.host;

/**
 * A pool's capacity and use: {@code used} counts the devices and the reserved placements (each device once, by
 * UUID); {@code free} is capacity - used, negative when reservations overbook what the host now reports.
 */
public record PoolView(String name, long capacity, long used, long free) {
}

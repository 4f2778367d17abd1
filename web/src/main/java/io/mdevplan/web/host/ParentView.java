package io.mdevplan.web.host;

import java.util.List;

/**
 * A parent with its pools' use, its types' availability, its devices, and the live placements targeting it whose
 * device the host has not reported yet ({@code reserved}: they hold capacity all the same).
 */
public record ParentView(String address, String driver, boolean mixedTypes, List<PoolView> pools,
        List<TypeView> types, List<DeviceView> devices, List<ReservationView> reserved) {
}

package io.mdevplan.web.inventory;

import java.util.List;

/** A host as stored, with its parents in document order. */
public record StoredHost(HostEntity host, List<StoredParent> parents) {
}

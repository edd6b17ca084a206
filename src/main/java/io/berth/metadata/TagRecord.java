package io.berth.metadata;

import io.berth.oci.Digest;
import java.time.Instant;

/** A tag as retention sees it: its name, what it points at, and when it was last set. */
public record TagRecord(String name, Digest manifest, Instant updatedAt) {
}

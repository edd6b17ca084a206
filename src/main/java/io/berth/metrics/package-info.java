/**
 * Berth's metrics in the Prometheus text format, through Micrometer. The only package that uses
 * Micrometer: the layers that produce figures report them through plain interfaces or hand over the
 * reports and snapshots they already keep ({@code gc.GcReport}, {@code mirror.MirrorSnapshot},
 * {@code metadata.ConnectionUse}); the composition root wires them here. See docs/operations.md, "Metrics".
 */
package io.berth.metrics;

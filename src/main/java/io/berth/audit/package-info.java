/**
 * The audit trail: who pushed, deleted, moved a tag, promoted, logged in (or failed to) and
 * changed a robot account, from which address, kept in the metadata database. Changes are audited
 * in the transaction that makes them, so the trail holds an entry for every change that committed
 * and for none that rolled back; the operations' events are the source of most entries
 * ({@link io.berth.audit.AuditedEvents}). Who may read which entries is decided at the edge.
 */
package io.berth.audit;

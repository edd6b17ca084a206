/**
 * The web interface's pages: what each page shows, read from the registry's operations, and the
 * HTML templates ({@code src/main/jte}, compiled into {@code io.berth.ui.templates} at build time)
 * that render it. Who may see what is decided by the HTTP layer, which hands every query here a
 * predicate of the repositories the caller may pull; nothing here knows HTTP or authentication.
 */
package io.berth.ui;

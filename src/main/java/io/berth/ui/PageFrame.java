package io.berth.ui;

/**
 * What every page shows around its content.
 *
 * @param registryHost the host and port clients pull from, as the pull commands name it
 * @param version      Berth's version, for the footer
 */
public record PageFrame(String registryHost, String version) {
}

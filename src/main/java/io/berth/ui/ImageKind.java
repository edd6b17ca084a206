package io.berth.ui;

/** What a manifest holds, in the words a page uses for it. */
public enum ImageKind {
    /** An image manifest whose configuration is an image configuration. */
    IMAGE("image"),
    /** An image index or Docker manifest list: one image per platform. */
    INDEX("multi-platform index"),
    /** An image manifest carrying something else: a signature, an SBOM, a test report. */
    ARTIFACT("artifact");

    private final String label;

    ImageKind(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}

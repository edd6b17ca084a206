package io.berth.metadata;

/** A mirror's declaration with its crawl state. */
public record StoredMirror(MirrorRecord mirror, MirrorCrawlState crawl) {
}

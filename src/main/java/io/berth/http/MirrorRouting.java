package io.berth.http;

import io.berth.mirror.ClientAddresses;
import io.berth.mirror.DownloadSources;
import io.berth.mirror.ExportScope;
import io.berth.mirror.MirrorCrawler;
import java.net.InetAddress;

/**
 * What the HTTP layer needs to send blob downloads to mirrors: the download sources, which proxies'
 * {@code X-Forwarded-For} to believe, the crawler for on-demand crawls, and the repositories whose
 * blobs may be sent elsewhere at all.
 */
public record MirrorRouting(DownloadSources sources, ClientAddresses clients, MirrorCrawler crawler, ExportScope scope) {

    static final String FORWARDED_FOR = "X-Forwarded-For";

    /** The client behind a request, through trusted proxies only. */
    InetAddress clientOf(Exchange exchange) {
        return clients.clientOf(exchange.peerAddress(), exchange.headerValues(FORWARDED_FOR));
    }
}

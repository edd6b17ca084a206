package io.berth.http;

import io.berth.mirror.ClientAddresses;
import io.berth.mirror.DownloadSources;
import io.berth.mirror.MirrorCrawler;
import java.net.InetAddress;

/**
 * What the HTTP layer needs to send blob downloads to mirrors: the download sources, which proxies'
 * {@code X-Forwarded-For} to believe, and the crawler for on-demand crawls.
 */
public record MirrorRouting(DownloadSources sources, ClientAddresses clients, MirrorCrawler crawler) {

    static final String FORWARDED_FOR = "X-Forwarded-For";

    /** The client behind a request, through trusted proxies only. */
    InetAddress clientOf(Exchange exchange) {
        return clients.clientOf(exchange.peerAddress(), exchange.headerValues(FORWARDED_FOR));
    }
}

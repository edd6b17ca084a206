package io.berth.server;

import io.berth.config.ListenAddress;
import io.berth.http.MetricsHandler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The management port ({@code metrics.listen}): a Jetty server of its own serving only
 * {@code GET /metrics}, without authentication, on its own few threads, so that scrapes neither wait
 * behind registry traffic nor take from it.
 */
final class ManagementPort implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ManagementPort.class);
    /** A scraper or two at a time; Jetty needs a few threads for its acceptor and selector besides. */
    private static final int MAX_THREADS = 8;

    private final Server jetty;
    private final ServerConnector connector;

    private ManagementPort(Server jetty, ServerConnector connector) {
        this.jetty = jetty;
        this.connector = connector;
    }

    static ManagementPort start(ListenAddress address, MetricsHandler.MetricsPage page) throws Exception {
        QueuedThreadPool threads = new QueuedThreadPool(MAX_THREADS, 2);
        threads.setName("berth-metrics");
        Server jetty = new Server(threads);
        ServerConnector connector = new ServerConnector(jetty, 1, 1);
        connector.setHost(address.host());
        connector.setPort(address.port());
        jetty.addConnector(connector);
        jetty.setHandler(new MetricsHandler(page));
        jetty.setStopAtShutdown(false);
        try {
            jetty.start();
        } catch (Exception e) {
            jetty.stop();
            throw e;
        }
        LOG.info("metrics at http://{}:{}/metrics (no authentication: anyone who can reach this address may read them)",
                address.urlHost(), connector.getLocalPort());
        return new ManagementPort(jetty, connector);
    }

    int port() {
        return connector.getLocalPort();
    }

    @Override
    public void close() throws Exception {
        jetty.stop();
    }
}

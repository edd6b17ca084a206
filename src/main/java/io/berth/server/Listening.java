package io.berth.server;

import io.berth.config.ListenAddress;
import java.io.IOException;
import java.net.BindException;
import java.util.Optional;
import org.eclipse.jetty.server.Server;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Starting the HTTP server on its address, and saying in one line why the address cannot be had. */
final class Listening {
    private static final Logger LOG = LoggerFactory.getLogger(Listening.class);

    private Listening() {
    }

    /** Starts Jetty; an address that cannot be bound is one line naming it, and Jetty is stopped again. */
    static void start(Server jetty, ListenAddress address) throws Exception {
        try {
            jetty.start();
        } catch (IOException e) {
            BindException bind = bindFailure(e).orElseThrow(() -> e);
            LOG.debug("cannot bind {}", address, e);
            try {
                jetty.stop();
            } catch (Exception stopping) {
                e.addSuppressed(stopping);
            }
            String why = String.valueOf(bind.getMessage()).contains("in use")
                    ? "the port is in use by another process"
                    : String.valueOf(bind.getMessage()).contains("ermission")
                    ? "permission denied (ports below 1024 need privileges)"
                    : "the address is not one of this host's";
            throw new StartupException(StartupException.Problem.PORT_UNAVAILABLE,
                    "cannot listen on " + address.urlHost() + ":" + address.port() + ": " + why, e);
        }
    }

    private static Optional<BindException> bindFailure(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof BindException bind) {
                return Optional.of(bind);
            }
        }
        return Optional.empty();
    }
}

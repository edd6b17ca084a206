package io.berth.http;

import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The callback of a request that is observed: when the request ends, successfully or not, it
 * reports the route's name, the method, the status, the time since the request began and the body
 * bytes read and written, then completes the request. An upload's end is reported too.
 */
final class RequestMeter extends Callback.Nested {
    private final Request request;
    private final Response response;
    private final String route;
    private final boolean upload;
    private final HttpObserver observer;

    RequestMeter(Callback callback, Request request, Response response, String route, boolean upload, HttpObserver observer) {
        super(callback);
        this.request = request;
        this.response = response;
        this.route = route;
        this.upload = upload;
        this.observer = observer;
        if (upload) {
            observer.uploadStarted();
        }
    }

    @Override
    public void succeeded() {
        report(response.getStatus());
        super.succeeded();
    }

    @Override
    public void failed(Throwable failure) {
        // Jetty answers 500 for a failed request that has not sent its head yet.
        report(response.isCommitted() ? response.getStatus() : 500);
        super.failed(failure);
    }

    private void report(int status) {
        if (upload) {
            observer.uploadEnded();
        }
        observer.completed(route, request.getMethod(), status, System.nanoTime() - request.getBeginNanoTime(),
                Request.getContentBytesRead(request), Response.getContentBytesWritten(response));
    }
}

package io.berth.testing;

import io.berth.storage.S3BlobStore;
import java.net.URI;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;
import org.gaul.s3proxy.nio2blob.TransientNio2BlobStore;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * S3Proxy, a real S3 API server, in this JVM on a free loopback port over an in-memory store,
 * with one bucket. Its multipart rules are those of AWS (parts other than the last at least 5 MiB).
 */
public final class S3ProxyServer implements AutoCloseable {
    public static final String ACCESS_KEY = "berth-test";
    public static final String SECRET_KEY = "berth-test-secret";
    public static final String BUCKET = "berth";
    public static final String REGION = "us-east-1";

    private final S3Proxy proxy;
    private final S3Client client;

    private S3ProxyServer(S3Proxy proxy, S3Client client) {
        this.proxy = proxy;
        this.client = client;
    }

    public static S3ProxyServer start() throws Exception {
        return start(new TransientNio2BlobStore(), 0);
    }

    /**
     * Runs S3Proxy over a directory on disk until killed, for benchmarks (bench/scale_out.py):
     * {@code S3ProxyServer PORT DIRECTORY}.
     */
    public static void main(String[] arguments) throws Exception {
        java.nio.file.Files.createDirectories(java.nio.file.Path.of(arguments[1]));
        S3ProxyServer server = start(new FilesystemNio2BlobStore(arguments[1]), Integer.parseInt(arguments[0]));
        System.out.println("S3Proxy listening on " + server.endpoint());
        Thread.currentThread().join();
    }

    private static S3ProxyServer start(org.gaul.s3proxy.blobstore.BlobStore store, int port) throws Exception {
        S3Proxy proxy = S3Proxy.builder()
                .blobStore(store)
                .endpoint(URI.create("http://127.0.0.1:" + port))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
                .build();
        proxy.start();
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!"STARTED".equals(proxy.getState())) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("S3Proxy did not start");
            }
            Thread.sleep(10);
        }
        URI endpoint = URI.create("http://127.0.0.1:" + proxy.getPort());
        S3Client client = S3BlobStore.client(endpoint, REGION, ACCESS_KEY, SECRET_KEY, true);
        client.createBucket(builder -> builder.bucket(BUCKET));
        return new S3ProxyServer(proxy, client);
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + proxy.getPort());
    }

    public S3Client client() {
        return client;
    }

    @Override
    public void close() throws Exception {
        client.close();
        proxy.stop();
    }
}

package io.berth.http;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.Optional;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Blocker;

/**
 * Sends a region of a file by memory-mapping it one window at a time, so that the kernel copies
 * the bytes from the page cache straight to the socket, and unmapping each window as soon as it is
 * written, so that memory use stays bounded by the window size per transfer.
 *
 * <p>Deterministic unmapping needs {@code java.lang.foreign} (final since Java 22); it is reached
 * through method handles so that Berth still builds and runs on Java 21, where
 * {@link #ifSupported()} is empty and callers copy through buffers instead.
 */
final class MappedFileSender {
    /**
     * Bytes mapped at once per transfer. Mapped pages count as resident while mapped, so four
     * transfers at a time hold 16 MiB; bigger windows gain little throughput.
     */
    private static final long WINDOW_BYTES = 4L * 1024 * 1024;
    private static final Optional<MappedFileSender> INSTANCE = lookup();

    private final MethodHandle openArena;
    private final MethodHandle map;
    private final MethodHandle asByteBuffer;
    private final MethodHandle closeArena;

    private MappedFileSender(MethodHandle openArena, MethodHandle map, MethodHandle asByteBuffer, MethodHandle closeArena) {
        this.openArena = openArena;
        this.map = map;
        this.asByteBuffer = asByteBuffer;
        this.closeArena = closeArena;
    }

    /** The sender, when this JVM can unmap deterministically (Java 22 and later). */
    static Optional<MappedFileSender> ifSupported() {
        return INSTANCE;
    }

    private static Optional<MappedFileSender> lookup() {
        if (Runtime.version().feature() < 22) {
            return Optional.empty();
        }
        try {
            MethodHandles.Lookup lookup = MethodHandles.publicLookup();
            Class<?> arena = Class.forName("java.lang.foreign.Arena");
            Class<?> segment = Class.forName("java.lang.foreign.MemorySegment");
            return Optional.of(new MappedFileSender(
                    lookup.findStatic(arena, "ofShared", MethodType.methodType(arena)),
                    lookup.findVirtual(FileChannel.class, "map",
                            MethodType.methodType(segment, FileChannel.MapMode.class, long.class, long.class, arena)),
                    lookup.findVirtual(segment, "asByteBuffer", MethodType.methodType(ByteBuffer.class)),
                    lookup.findVirtual(arena, "close", MethodType.methodType(void.class))));
        } catch (ReflectiveOperationException e) {
            return Optional.empty();
        }
    }

    /**
     * Writes {@code length} bytes of {@code file} from {@code offset} as the response content, the
     * last window completing the response. Blocks the calling (virtual) thread until all is written.
     */
    void send(Response response, Path file, long offset, long length) throws Throwable {
        try (FileChannel channel = FileChannel.open(file)) {
            long position = offset;
            long end = offset + length;
            while (position < end) {
                long size = Math.min(WINDOW_BYTES, end - position);
                Object arena = openArena.invoke();
                try {
                    Object segment = map.invoke(channel, FileChannel.MapMode.READ_ONLY, position, size, arena);
                    ByteBuffer window = (ByteBuffer) asByteBuffer.invoke(segment);
                    try (Blocker.Callback written = Blocker.callback()) {
                        response.write(position + size == end, window, written);
                        written.block();
                    }
                } finally {
                    closeArena.invoke(arena);
                }
                position += size;
            }
        }
    }
}

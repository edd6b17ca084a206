package io.berth.storage;

import java.util.concurrent.ArrayBlockingQueue;

/**
 * A pool of equal heap buffers for copying request bodies into staging: an append borrows one for
 * its duration and gives it back, instead of allocating a fresh one per request. At most
 * {@code kept} idle buffers stay pooled, so that memory returns to the heap after a burst; how many
 * are in use at once is bounded by the caller, which budgets {@link #bufferBytes()} per append in
 * flight ({@link UploadStaging#appendBufferBytes()}).
 */
public final class TransferBuffers {
    private final int bufferBytes;
    private final ArrayBlockingQueue<byte[]> idle;

    /**
     * @param bufferBytes the size of every buffer
     * @param kept        how many idle buffers stay pooled
     */
    public TransferBuffers(int bufferBytes, int kept) {
        if (bufferBytes <= 0 || kept <= 0) {
            throw new IllegalArgumentException("buffers and the pool must not be empty");
        }
        this.bufferBytes = bufferBytes;
        this.idle = new ArrayBlockingQueue<>(kept);
    }

    public int bufferBytes() {
        return bufferBytes;
    }

    /** A buffer of {@link #bufferBytes()} bytes, pooled or new, until the lease is closed. */
    public Lease acquire() {
        byte[] pooled = idle.poll();
        return new Lease(pooled != null ? pooled : new byte[bufferBytes]);
    }

    /** How many idle buffers the pool holds now. */
    int idleBuffers() {
        return idle.size();
    }

    /** One borrowed buffer; closing returns it to the pool (once), or drops it when the pool is full. */
    public final class Lease implements AutoCloseable {
        private byte[] array;

        private Lease(byte[] array) {
            this.array = array;
        }

        /** The buffer; not to be used after {@link #close()}. */
        public byte[] array() {
            if (array == null) {
                throw new IllegalStateException("the buffer was returned to the pool");
            }
            return array;
        }

        @Override
        public void close() {
            if (array != null) {
                idle.offer(array);
                array = null;
            }
        }
    }
}

package io.berth.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import org.junit.jupiter.api.Test;

/** Copy buffers are reused between appends, and the pool keeps only a few idle ones. */
class TransferBuffersTest {

    @Test
    void aReturnedBufferIsLentAgain() {
        TransferBuffers buffers = new TransferBuffers(1024, 2);
        byte[] first;
        try (TransferBuffers.Lease lease = buffers.acquire()) {
            first = lease.array();
            assertThat(first).hasSize(1024);
        }
        try (TransferBuffers.Lease lease = buffers.acquire()) {
            assertThat(lease.array()).isSameAs(first);
        }
    }

    @Test
    void buffersInUseAtOnceAreDistinct() {
        TransferBuffers buffers = new TransferBuffers(1024, 2);
        try (TransferBuffers.Lease one = buffers.acquire(); TransferBuffers.Lease two = buffers.acquire()) {
            assertThat(one.array()).isNotSameAs(two.array());
        }
    }

    @Test
    void onlyTheConfiguredNumberOfIdleBuffersStayPooled() {
        TransferBuffers buffers = new TransferBuffers(1024, 2);
        TransferBuffers.Lease one = buffers.acquire();
        TransferBuffers.Lease two = buffers.acquire();
        TransferBuffers.Lease three = buffers.acquire();
        one.close();
        two.close();
        three.close();

        assertThat(buffers.idleBuffers()).isEqualTo(2);
    }

    @Test
    void aBufferIsReturnedOnceAndNotUsableAfterwards() {
        TransferBuffers buffers = new TransferBuffers(1024, 4);
        TransferBuffers.Lease lease = buffers.acquire();
        lease.close();
        lease.close();

        assertThat(buffers.idleBuffers()).isEqualTo(1);
        assertThatIllegalStateException().isThrownBy(lease::array);
    }
}

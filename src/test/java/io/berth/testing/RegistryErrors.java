package io.berth.testing;

import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import io.berth.oci.RegistryException;
import java.util.concurrent.atomic.AtomicReference;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

/** Catches the {@link RegistryException} a call must throw, so that a test can check its code and status. */
public final class RegistryErrors {
    private RegistryErrors() {
    }

    /** Runs {@code call}, fails unless it throws a {@link RegistryException}, and returns that exception. */
    public static RegistryException thrownBy(ThrowingCallable call) {
        AtomicReference<RegistryException> caught = new AtomicReference<>();
        assertThatExceptionOfType(RegistryException.class).isThrownBy(call).satisfies(caught::set);
        return caught.get();
    }
}

package io.berth.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import io.berth.config.ConfigException;
import io.berth.config.MirrorConfig;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A configured mirror stands in a real country: a made-up code stops the start, naming the mirror. */
class MirrorCountryTest {
    @Test
    void refusesACountryCodeThatIsNotAssigned() {
        MirrorConfig madeUp = new MirrorConfig("m1", "https://m1.example.org/berth/", "XX", null, null, null, null, null,
                null, null);

        assertThatExceptionOfType(ConfigException.class).isThrownBy(() -> MirrorSetup.mirror(madeUp))
                .withMessage("mirrors.list: mirror m1: 'XX' is not an ISO 3166-1 alpha-2 country code (such as DE, US, BR)");
    }

    @Test
    void refusesAnAllowedCountryThatIsNotAssigned() {
        MirrorConfig allowing = new MirrorConfig("m1", "https://m1.example.org/berth/", "DE", null, null, null, null, null,
                List.of("AT", "ZZ"), null);

        assertThatExceptionOfType(ConfigException.class).isThrownBy(() -> MirrorSetup.mirror(allowing))
                .withMessageContaining("'ZZ' is not an ISO 3166-1 alpha-2 country code");
    }

    @Test
    void acceptsRealCountriesInEitherCase() {
        MirrorConfig real = new MirrorConfig("m1", "https://m1.example.org/berth/", "de", null, null, null, null, null,
                List.of("at"), null);

        assertThat(MirrorSetup.mirror(real).country()).hasValue("DE");
    }
}

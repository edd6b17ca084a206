package io.berth.mirror;

import java.net.InetAddress;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Pattern;

/**
 * Where a client's address is, as far as the geolocation databases know: the facts mirror selection
 * narrows by, from the most to the least specific (network, country, continent).
 *
 * @param address the client's address, IPv4 or IPv6
 * @param country the ISO 3166-1 alpha-2 code of the country, upper case ({@code DE})
 * @param continent the continent's two-letter code as MaxMind writes it, upper case: {@code AF},
 *     {@code AN}, {@code AS}, {@code EU}, {@code NA}, {@code OC} or {@code SA}
 * @param autonomousSystem the number of the autonomous system that announces the address, an
 *     unsigned 32-bit number other than 0 (RFC 6793; AS 0 is never announced, RFC 7607)
 */
public record ClientLocation(InetAddress address, Optional<String> country, Optional<String> continent,
        OptionalLong autonomousSystem) {
    private static final Pattern COUNTRY_CODE = Pattern.compile("[A-Z]{2}");
    static final long MAX_AUTONOMOUS_SYSTEM = 0xFFFF_FFFFL;

    public ClientLocation {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(country, "country");
        Objects.requireNonNull(continent, "continent");
        Objects.requireNonNull(autonomousSystem, "autonomousSystem");
        country.ifPresent(code -> {
            if (!isCountryCode(code)) {
                throw new IllegalArgumentException("a country is an upper-case ISO 3166-1 alpha-2 code, not " + code);
            }
        });
        continent.ifPresent(code -> {
            if (!Continents.CODES.contains(code)) {
                throw new IllegalArgumentException("a continent is one of " + Continents.CODES + ", not " + code);
            }
        });
        autonomousSystem.ifPresent(number -> {
            if (!isAutonomousSystem(number)) {
                throw new IllegalArgumentException("an autonomous system number is between 1 and "
                        + MAX_AUTONOMOUS_SYSTEM + ", not " + number);
            }
        });
    }

    /** A location that says nothing but the address. */
    public static ClientLocation unknown(InetAddress address) {
        return new ClientLocation(address, Optional.empty(), Optional.empty(), OptionalLong.empty());
    }

    static boolean isCountryCode(String code) {
        return COUNTRY_CODE.matcher(code).matches();
    }

    static boolean isAutonomousSystem(long number) {
        return number > 0 && number <= MAX_AUTONOMOUS_SYSTEM;
    }
}

package io.berth.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.junit.jupiter.params.provider.Arguments.argumentSet;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code HOST:PORT} listen addresses, with IPv6 hosts in brackets as in URLs (RFC 3986 section 3.2.2). */
class ListenAddressTest {

    static Stream<Arguments> addresses() {
        return Stream.of(
                argumentSet("IPv4 loopback", "127.0.0.1:5000", "127.0.0.1", 5000, "127.0.0.1"),
                argumentSet("all IPv4 interfaces", "0.0.0.0:80", "0.0.0.0", 80, "0.0.0.0"),
                argumentSet("host name", "localhost:8080", "localhost", 8080, "localhost"),
                argumentSet("port zero (any free port)", "127.0.0.1:0", "127.0.0.1", 0, "127.0.0.1"),
                argumentSet("highest port", "127.0.0.1:65535", "127.0.0.1", 65535, "127.0.0.1"),
                argumentSet("IPv6 loopback in brackets", "[::1]:5000", "::1", 5000, "[::1]"),
                argumentSet("all IPv6 interfaces in brackets", "[::]:5000", "::", 5000, "[::]"),
                argumentSet("full IPv6 address in brackets", "[2001:db8::7]:443", "2001:db8::7", 443, "[2001:db8::7]"));
    }

    @ParameterizedTest
    @MethodSource("addresses")
    void parsesHostAndPort(String text, String host, int port, String urlHost) {
        ListenAddress address = ListenAddress.parse(text);

        assertThat(address).isEqualTo(new ListenAddress(host, port));
        assertThat(address.urlHost()).isEqualTo(urlHost);
    }

    static Stream<Arguments> invalidAddresses() {
        return Stream.of(
                argumentSet("port only", "5000"),
                argumentSet("host only", "localhost"),
                argumentSet("empty", ""),
                argumentSet("no host", ":5000"),
                argumentSet("no port", "localhost:"),
                argumentSet("port not a number", "localhost:http"),
                argumentSet("port above 65535", "localhost:65536"),
                argumentSet("negative port", "localhost:-1"),
                argumentSet("IPv6 in brackets without port", "[::1]"),
                argumentSet("IPv6 in brackets with empty port", "[::1]:"),
                argumentSet("empty brackets", "[]:5000"));
    }

    @ParameterizedTest
    @MethodSource("invalidAddresses")
    void refusesAnythingElseWithConfigException(String text) {
        assertThatExceptionOfType(ConfigException.class).isThrownBy(() -> ListenAddress.parse(text));
    }
}

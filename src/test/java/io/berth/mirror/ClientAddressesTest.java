package io.berth.mirror;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The client behind a request: the socket's peer, unless a trusted proxy stands there; then the
 * rightmost {@code X-Forwarded-For} hop that is no trusted proxy, because only what trusted proxies
 * appended can be believed.
 */
class ClientAddressesTest {
    private static final InetAddress PROXY = address("10.0.0.1");
    private static final InetAddress UNTRUSTED_PEER = address("203.0.113.50");

    private final ClientAddresses addresses = new ClientAddresses(List.of(
            Netblock.parse("10.0.0.0/8"), Netblock.parse("2001:db8:ffff::/48")));

    @Test
    void anUntrustedPeerIsTheClientWhateverItsForwardedForSays() {
        assertThat(addresses.clientOf(UNTRUSTED_PEER, List.of("198.51.100.7"))).isEqualTo(UNTRUSTED_PEER);
        assertThat(addresses.clientOf(UNTRUSTED_PEER, List.of("10.0.0.9, 198.51.100.7"))).isEqualTo(UNTRUSTED_PEER);
    }

    @Test
    void aPeerIsTheClientWhenThereIsNoForwardedFor() {
        assertThat(addresses.clientOf(PROXY, List.of())).isEqualTo(PROXY);
        assertThat(addresses.clientOf(UNTRUSTED_PEER, List.of())).isEqualTo(UNTRUSTED_PEER);
    }

    @Test
    void withoutTrustedProxiesThePeerIsAlwaysTheClient() {
        ClientAddresses trustingNone = ClientAddresses.trustingNoProxy();

        assertThat(trustingNone.clientOf(PROXY, List.of("198.51.100.7"))).isEqualTo(PROXY);
        assertThat(trustingNone.trusts(PROXY)).isFalse();
    }

    @Test
    void aTrustedPeerIsBelievedAboutTheHopItServed() {
        assertThat(addresses.clientOf(PROXY, List.of("198.51.100.7"))).isEqualTo(address("198.51.100.7"));
    }

    @Test
    void aChainOfTrustedProxiesIsSkippedToTheFirstUntrustedHopFromTheRight() {
        assertThat(addresses.clientOf(PROXY, List.of("198.51.100.7, 10.0.0.3, 10.0.0.2")))
                .isEqualTo(address("198.51.100.7"));
    }

    @Test
    void entriesLeftOfTheFirstUntrustedHopAreIgnoredSinceTheClientWroteThem() {
        assertThat(addresses.clientOf(PROXY, List.of("10.0.0.5, 192.0.2.66, 198.51.100.7, 10.0.0.2")))
                .as("a client cannot claim a trusted or any other address by sending the header itself")
                .isEqualTo(address("198.51.100.7"));
    }

    @Test
    void severalHeaderValuesAreReadAsOneListInTheirOrder() {
        assertThat(addresses.clientOf(PROXY, List.of("192.0.2.66", "198.51.100.7"))).isEqualTo(address("198.51.100.7"));
        assertThat(addresses.clientOf(PROXY, List.of("198.51.100.7", "192.0.2.66"))).isEqualTo(address("192.0.2.66"));
        assertThat(addresses.clientOf(PROXY, List.of("192.0.2.66, 198.51.100.7", "10.0.0.2")))
                .isEqualTo(address("198.51.100.7"));
    }

    @Test
    void aHopThatIsNoAddressStopsTheWalkAtTheLastTrustedAddress() {
        assertThat(addresses.clientOf(PROXY, List.of("198.51.100.7, unknown, 10.0.0.2")))
                .isEqualTo(address("10.0.0.2"));
        assertThat(addresses.clientOf(PROXY, List.of("198.51.100.7, unknown"))).isEqualTo(PROXY);
        assertThat(addresses.clientOf(PROXY, List.of("198.51.100.7, , 10.0.0.2"))).isEqualTo(address("10.0.0.2"));
        assertThat(addresses.clientOf(PROXY, List.of(""))).isEqualTo(PROXY);
    }

    @Test
    void aHostNameHopIsNoAddressAndIsNeverLookedUp() {
        assertThat(addresses.clientOf(PROXY, List.of("localhost"))).isEqualTo(PROXY);
        assertThat(addresses.clientOf(PROXY, List.of("192.0.2.256"))).isEqualTo(PROXY);
    }

    @Test
    void onlyTrustedHopsMeanTheLeftmostOfThemIsTheClient() {
        assertThat(addresses.clientOf(PROXY, List.of("10.0.0.3, 10.0.0.2"))).isEqualTo(address("10.0.0.3"));
    }

    @Test
    void onlyTheRightmostHopsUpToTheLimitAreReadSoAChainOfTrustedHopsEndsThere() {
        String tooMany = "198.51.100.7, " + hops(ClientAddresses.MAX_FORWARDED_HOPS);

        assertThat(addresses.clientOf(PROXY, List.of(tooMany))).as("the last hop read").isEqualTo(address("10.0.1.1"));
    }

    @Test
    void aClientPaddingTheHeaderIsStillTheAddressTheProxyAppended() {
        String padded = String.join(", ", java.util.Collections.nCopies(100, "10.0.0.9")) + ", 198.51.100.7";

        assertThat(addresses.clientOf(PROXY, List.of(padded))).isEqualTo(address("198.51.100.7"));
    }

    @Test
    void exactlyTheLimitOfHopsIsStillRead() {
        String atTheLimit = "198.51.100.7, " + hops(ClientAddresses.MAX_FORWARDED_HOPS - 1);

        assertThat(addresses.clientOf(PROXY, List.of(atTheLimit))).isEqualTo(address("198.51.100.7"));
    }

    @Test
    void portsSomeProxiesAppendAreStripped() {
        assertThat(addresses.clientOf(PROXY, List.of("198.51.100.7:4711"))).isEqualTo(address("198.51.100.7"));
        assertThat(addresses.clientOf(PROXY, List.of("[2001:db8::7]:4711"))).isEqualTo(address("2001:db8::7"));
        assertThat(addresses.clientOf(PROXY, List.of("1.2.3.4:5"))).isEqualTo(address("1.2.3.4"));
        assertThat(addresses.clientOf(PROXY, List.of("[2001:db8::1]:5"))).isEqualTo(address("2001:db8::1"));
    }

    @Test
    void anIpv6HopWithoutBracketsKeepsItsLastGroup() {
        assertThat(addresses.clientOf(PROXY, List.of("2001:db8::7"))).isEqualTo(address("2001:db8::7"));
        assertThat(addresses.clientOf(PROXY, List.of("[2001:db8::7]"))).isEqualTo(address("2001:db8::7"));
    }

    @Test
    void aTrustedIpv6ProxyIsSkippedLikeAnIpv4One() {
        InetAddress ipv6Proxy = address("2001:db8:ffff::1");

        assertThat(addresses.clientOf(ipv6Proxy, List.of("198.51.100.7, [2001:db8:ffff::2]:443")))
                .isEqualTo(address("198.51.100.7"));
    }

    @Test
    void anIpv4MappedPeerIsTrustedAsItsIpv4AddressAndReportedAsIt() {
        InetAddress mappedProxy = ipv4Mapped(PROXY);
        InetAddress mappedStranger = ipv4Mapped(UNTRUSTED_PEER);

        assertThat(addresses.trusts(mappedProxy)).isTrue();
        assertThat(addresses.clientOf(mappedProxy, List.of("198.51.100.7"))).isEqualTo(address("198.51.100.7"));
        assertThat(addresses.clientOf(mappedStranger, List.of("198.51.100.7"))).isEqualTo(UNTRUSTED_PEER);
    }

    @Test
    void spacesAroundHopsAreIgnored() {
        assertThat(addresses.clientOf(PROXY, List.of("  198.51.100.7  ,10.0.0.2 "))).isEqualTo(address("198.51.100.7"));
    }

    private static String hops(int count) {
        return IntStream.rangeClosed(1, count).mapToObj(hop -> "10.0.1." + hop).collect(Collectors.joining(", "));
    }

    private static InetAddress address(String literal) {
        return TestMirrors.address(literal);
    }

    private static InetAddress ipv4Mapped(InetAddress ipv4) {
        byte[] bytes = new byte[16];
        bytes[10] = (byte) 0xff;
        bytes[11] = (byte) 0xff;
        System.arraycopy(ipv4.getAddress(), 0, bytes, 12, 4);
        try {
            return Inet6Address.getByAddress(null, bytes, -1);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}

package io.berth.mirror;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** CIDR networks: parsing only numeric addresses, refusing host bits, and matching clients of the same family. */
class NetblockTest {

    @Test
    void anIpv4NetblockHoldsEveryAddressOfItsPrefixAndNoOther() {
        Netblock block = Netblock.parse("192.0.2.0/24");

        assertThat(block.contains(address("192.0.2.0"))).isTrue();
        assertThat(block.contains(address("192.0.2.77"))).isTrue();
        assertThat(block.contains(address("192.0.2.255"))).isTrue();
        assertThat(block.contains(address("192.0.3.0"))).isFalse();
        assertThat(block.contains(address("192.0.1.255"))).isFalse();
    }

    @Test
    void aPrefixThatEndsInsideAByteSplitsThatByte() {
        Netblock block = Netblock.parse("198.51.100.64/26");

        assertThat(block.contains(address("198.51.100.64"))).isTrue();
        assertThat(block.contains(address("198.51.100.127"))).isTrue();
        assertThat(block.contains(address("198.51.100.63"))).isFalse();
        assertThat(block.contains(address("198.51.100.128"))).isFalse();
    }

    @Test
    void anIpv6NetblockHoldsEveryAddressOfItsPrefixAndNoOther() {
        Netblock block = Netblock.parse("2001:db8::/32");

        assertThat(block.contains(address("2001:db8::1"))).isTrue();
        assertThat(block.contains(address("2001:db8:ffff:ffff:ffff:ffff:ffff:ffff"))).isTrue();
        assertThat(block.contains(address("2001:db9::"))).isFalse();
        assertThat(block.contains(address("2001:db7:ffff::1"))).isFalse();
    }

    @Test
    void parsingKeepsTheNetworkAndThePrefixLength() {
        assertThat(Netblock.parse("192.0.2.0/24")).isEqualTo(new Netblock(address("192.0.2.0"), 24));
        assertThat(Netblock.parse(" 2001:db8::/48 ")).isEqualTo(new Netblock(address("2001:db8::"), 48));
        assertThat(Netblock.parse("[2001:db8::]/48")).isEqualTo(new Netblock(address("2001:db8::"), 48));
    }

    @Test
    void theTextFormParsesBackToTheSameNetblock() {
        Netblock ipv4 = Netblock.parse("192.0.2.0/24");
        Netblock ipv6 = Netblock.parse("2001:db8::/32");

        assertThat(ipv4).hasToString("192.0.2.0/24");
        assertThat(Netblock.parse(ipv4.toString())).isEqualTo(ipv4);
        assertThat(Netblock.parse(ipv6.toString())).isEqualTo(ipv6);
    }

    @Test
    void slashZeroHoldsEveryAddressOfItsFamily() {
        assertThat(Netblock.parse("0.0.0.0/0").contains(address("203.0.113.9"))).isTrue();
        assertThat(Netblock.parse("0.0.0.0/0").contains(address("255.255.255.255"))).isTrue();
        assertThat(Netblock.parse("::/0").contains(address("2001:db8::1"))).isTrue();
        assertThat(Netblock.parse("::/0").contains(address("ffff::1"))).isTrue();
    }

    @Test
    void slash32HoldsOnlyItsOneIpv4Address() {
        Netblock host = Netblock.parse("192.0.2.7/32");

        assertThat(host.contains(address("192.0.2.7"))).isTrue();
        assertThat(host.contains(address("192.0.2.6"))).isFalse();
        assertThat(host.contains(address("192.0.2.8"))).isFalse();
    }

    @Test
    void slash128HoldsOnlyItsOneIpv6Address() {
        Netblock host = Netblock.parse("2001:db8::7/128");

        assertThat(host.contains(address("2001:db8::7"))).isTrue();
        assertThat(host.contains(address("2001:db8::6"))).isFalse();
        assertThat(host.contains(address("2001:db8::8"))).isFalse();
    }

    @Test
    void aBareAddressIsASingleHost() {
        assertThat(Netblock.parse("192.0.2.7")).isEqualTo(Netblock.parse("192.0.2.7/32"));
        assertThat(Netblock.parse("2001:db8::7")).isEqualTo(Netblock.parse("2001:db8::7/128"));
    }

    @Test
    void refusesHostBitsNamingTheNetworkThatWasMeant() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> Netblock.parse("192.0.2.77/24"))
                .withMessageContaining("192.0.2.77/24 has host bits set")
                .withMessageContaining("the network is 192.0.2.0/24");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> Netblock.parse("198.51.100.65/26"))
                .withMessageContaining("the network is 198.51.100.64/26");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> Netblock.parse("2001:db8::1/32"))
                .withMessageContaining("has host bits set")
                .withMessageContaining("the network is " + address("2001:db8::").getHostAddress() + "/32");
    }

    @ParameterizedTest
    @ValueSource(strings = {"192.0.2.0/33", "192.0.2.0/-1", "2001:db8::/129"})
    void refusesAPrefixLongerThanTheAddressOrNegative(String cidr) {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> Netblock.parse(cidr))
                .withMessageContaining("outside 0..");
    }

    @ParameterizedTest
    @ValueSource(strings = {"192.0.2.0/", "192.0.2.0/twenty", "192.0.2.0/24/8", "192.0.2.0/ 24"})
    void refusesAPrefixThatIsNoNumber(String cidr) {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> Netblock.parse(cidr))
                .withMessageContaining("not a prefix length");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "/24", "[]", "garbage", "192.0.2", "1.2.3.4.5", "192.0.2.", "192..2.1", "2001:db8::g/32",
            "2001:db8:::1", "fe80::1%eth0", "fe80::1%1", "[192.0.2.0/24"})
    void refusesTextThatIsNoAddress(String text) {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> Netblock.parse(text))
                .withMessageContaining("not");
    }

    @ParameterizedTest
    @ValueSource(strings = {"localhost", "localhost/8", "example.com/24", "ip6-localhost"})
    void refusesAHostNameWithoutResolvingIt(String text) {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> Netblock.parse(text))
                .withMessageContaining("not a numeric IP address");
    }

    /**
     * {@link InetAddress#getByName} takes these for host names and asks the resolver, which would put a
     * DNS query on the request path for every forwarded hop a proxy wrote.
     */
    @ParameterizedTest
    @ValueSource(strings = {"192.0.2.256", "999.0.0.1", "1.2.3.1000", ".1::2", "192.0.2.256/32"})
    void refusesNumericLookingTextTheJdkWouldLookUpAsAHostName(String text) {
        assertThat(Netblock.literal(text.replace("/32", ""))).isEmpty();
        assertThatIllegalArgumentException()
                .isThrownBy(() -> Netblock.parse(text))
                .withMessageContaining("not a numeric IP address");
    }

    @Test
    void aLiteralIsNeverLookedUp() {
        assertThat(Netblock.literal("localhost")).as("localhost would resolve, were it looked up").isEmpty();
        assertThat(Netblock.literal("example.com")).isEmpty();
        assertThat(Netblock.literal("")).isEmpty();
    }

    @Test
    void aLiteralMayBeBracketedAndPadded() {
        assertThat(Netblock.literal("[2001:db8::1]")).contains(address("2001:db8::1"));
        assertThat(Netblock.literal(" 192.0.2.1 ")).contains(address("192.0.2.1"));
    }

    @Test
    void anIpv4MappedIpv6ClientMatchesTheIpv4NetblockOfItsAddress() {
        InetAddress mapped = ipv4Mapped(192, 0, 2, 9);
        assertThat(mapped).as("a genuine IPv6 address, as a dual-stack socket reports it")
                .isInstanceOf(Inet6Address.class);

        assertThat(Netblock.parse("192.0.2.0/24").contains(mapped)).isTrue();
        assertThat(Netblock.parse("192.0.3.0/24").contains(mapped)).isFalse();
    }

    @Test
    void unmappingTurnsAnIpv4MappedAddressIntoItsIpv4AddressAndLeavesOthersAlone() {
        assertThat(Netblock.unmapped(ipv4Mapped(192, 0, 2, 9)))
                .isInstanceOf(Inet4Address.class)
                .isEqualTo(address("192.0.2.9"));
        assertThat(Netblock.unmapped(address("2001:db8::1"))).isEqualTo(address("2001:db8::1"));
        assertThat(Netblock.unmapped(address("192.0.2.9"))).isEqualTo(address("192.0.2.9"));
    }

    @Test
    void anIpv4AddressNeverMatchesAnIpv6Netblock() {
        assertThat(Netblock.parse("::/0").contains(address("192.0.2.1"))).isFalse();
        assertThat(Netblock.parse("::/0").contains(ipv4Mapped(192, 0, 2, 1))).isFalse();
    }

    @Test
    void anIpv6AddressNeverMatchesAnIpv4Netblock() {
        assertThat(Netblock.parse("0.0.0.0/0").contains(address("2001:db8::1"))).isFalse();
        assertThat(Netblock.parse("0.0.0.0/0").contains(address("::1"))).isFalse();
    }

    private static InetAddress address(String literal) {
        return TestMirrors.address(literal);
    }

    /** {@code ::ffff:a.b.c.d} as an {@link Inet6Address}, which {@link InetAddress#getByName} never returns. */
    private static InetAddress ipv4Mapped(int a, int b, int c, int d) {
        byte[] bytes = new byte[16];
        bytes[10] = (byte) 0xff;
        bytes[11] = (byte) 0xff;
        bytes[12] = (byte) a;
        bytes[13] = (byte) b;
        bytes[14] = (byte) c;
        bytes[15] = (byte) d;
        try {
            return Inet6Address.getByAddress(null, bytes, -1);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}

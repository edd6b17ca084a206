package io.berth.mirror;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

/**
 * A CIDR network such as {@code 192.0.2.0/24} or {@code 2001:db8::/32}. An IPv4-mapped IPv6 client
 * address ({@code ::ffff:192.0.2.1}) is treated as the IPv4 address it maps.
 *
 * @param network      the network address, with every bit past the prefix zero
 * @param prefixLength how many leading bits the network fixes
 */
public record Netblock(InetAddress network, int prefixLength) {

    public Netblock {
        int bits = network.getAddress().length * 8;
        if (prefixLength < 0 || prefixLength > bits) {
            throw new IllegalArgumentException("prefix length " + prefixLength + " is outside 0.." + bits);
        }
        byte[] masked = mask(network.getAddress(), prefixLength);
        if (!Arrays.equals(masked, network.getAddress())) {
            throw new IllegalArgumentException(network.getHostAddress() + "/" + prefixLength
                    + " has host bits set; the network is " + addressOf(masked).getHostAddress() + "/" + prefixLength);
        }
    }

    /**
     * Parses {@code ADDRESS/PREFIX}; a bare address is a single host. Only numeric addresses are
     * accepted, never host names.
     *
     * @throws IllegalArgumentException for anything else
     */
    public static Netblock parse(String cidr) {
        String text = cidr.trim();
        int slash = text.indexOf('/');
        String address = slash < 0 ? text : text.substring(0, slash);
        InetAddress network = literal(address)
                .orElseThrow(() -> new IllegalArgumentException("not a numeric IP address: " + address));
        int prefix;
        if (slash < 0) {
            prefix = network.getAddress().length * 8;
        } else {
            try {
                prefix = Integer.parseInt(text.substring(slash + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("not a prefix length: " + cidr);
            }
        }
        return new Netblock(network, prefix);
    }

    /**
     * A numeric IPv4 or IPv6 address; never resolves a host name. {@link InetAddress#getByName} looks
     * up as a host name whatever it cannot read as an address and that has no colon ({@code 192.0.2.256})
     * or starts with neither a hex digit nor a colon ({@code .1::2}), so such text is refused first.
     */
    public static java.util.Optional<InetAddress> literal(String text) {
        String address = text.trim();
        if (address.startsWith("[") && address.endsWith("]")) {
            address = address.substring(1, address.length() - 1);
        }
        boolean numeric = address.indexOf(':') >= 0
                ? !address.startsWith(".")
                        && address.chars().allMatch(c -> Character.digit(c, 16) >= 0 || c == ':' || c == '.')
                : isDottedQuad(address);
        if (!numeric) {
            return java.util.Optional.empty();
        }
        try {
            return java.util.Optional.of(unmapped(InetAddress.getByName(address)));
        } catch (UnknownHostException e) {
            return java.util.Optional.empty();
        }
    }

    /** Four decimal numbers of 0..255 joined by dots. */
    private static boolean isDottedQuad(String address) {
        String[] octets = address.split("\\.", -1);
        if (octets.length != 4) {
            return false;
        }
        for (String octet : octets) {
            if (octet.isEmpty() || octet.length() > 3 || !octet.chars().allMatch(c -> c >= '0' && c <= '9')
                    || Integer.parseInt(octet) > 255) {
                return false;
            }
        }
        return true;
    }

    /** The IPv4 address an IPv4-mapped IPv6 address stands for; any other address as it is. */
    public static InetAddress unmapped(InetAddress address) {
        if (address instanceof Inet6Address) {
            byte[] bytes = address.getAddress();
            boolean mapped = bytes[10] == (byte) 0xff && bytes[11] == (byte) 0xff;
            for (int i = 0; i < 10 && mapped; i++) {
                mapped = bytes[i] == 0;
            }
            if (mapped) {
                return addressOf(Arrays.copyOfRange(bytes, 12, 16));
            }
        }
        return address;
    }

    public boolean contains(InetAddress address) {
        InetAddress candidate = unmapped(address);
        if ((candidate instanceof Inet4Address) != (network instanceof Inet4Address)) {
            return false;
        }
        return Arrays.equals(mask(candidate.getAddress(), prefixLength), network.getAddress());
    }

    @Override
    public String toString() {
        return network.getHostAddress() + "/" + prefixLength;
    }

    private static byte[] mask(byte[] address, int prefixLength) {
        byte[] masked = address.clone();
        for (int bit = prefixLength; bit < masked.length * 8; bit++) {
            masked[bit / 8] &= (byte) ~(0x80 >>> (bit % 8));
        }
        return masked;
    }

    private static InetAddress addressOf(byte[] bytes) {
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }
}

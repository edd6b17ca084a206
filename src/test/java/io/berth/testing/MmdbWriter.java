package io.berth.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.TreeMap;

/**
 * Writes a small MaxMind DB file (format version 2.0, "MaxMind DB File Format Specification"), so
 * tests can read their own geolocation data through the real readers.
 *
 * <p>The file is what the specification lays out: a binary search tree over IPv6 addresses
 * ({@code ip_version} 6, 32-bit records), 16 zero bytes, the data section, then the metadata map
 * after the marker {@code \xAB\xCD\xEFMaxMind.com}. IPv4 networks are placed under {@code ::/96}
 * ({@code ::a.b.c.d}), where readers look IPv4 addresses up. A network may lie inside another,
 * added in either order: an address gets the record of the most specific network that holds it. A
 * network added twice keeps the record it was given last.
 *
 * <p>Record values take the Java types the MaxMind reader decodes them to: {@link String} is a
 * UTF-8 string, {@link Integer} a uint16, {@link Long} a uint32, {@link BigInteger} a uint64,
 * {@link Boolean} a boolean, {@link Map} (with string keys) a map and {@link List} an array.
 */
public final class MmdbWriter {
    /** Fixed, so the same networks always give the same bytes: 2023-11-14T22:13:20Z. */
    public static final long BUILD_EPOCH_SECONDS = 1_700_000_000L;

    private static final byte[] METADATA_MARKER = {(byte) 0xAB, (byte) 0xCD, (byte) 0xEF,
        'M', 'a', 'x', 'M', 'i', 'n', 'd', '.', 'c', 'o', 'm'};
    private static final int RECORD_SIZE_BITS = 32;
    private static final int DATA_SECTION_SEPARATOR = 16;
    private static final int ADDRESS_BITS = 128;
    /** IPv4 networks live under {@code ::/96}. */
    private static final int IPV4_PREFIX_BITS = 96;

    // Data section types ("Output Data Types"); from 8 on they are written as "extended" types.
    private static final int UTF8_STRING = 2;
    private static final int UINT16 = 5;
    private static final int UINT32 = 6;
    private static final int MAP = 7;
    private static final int UINT64 = 9;
    private static final int ARRAY = 11;
    private static final int BOOLEAN = 14;

    private final String databaseType;
    private final List<Network> networks = new ArrayList<>();

    private MmdbWriter(String databaseType) {
        this.databaseType = databaseType;
    }

    /** A database whose metadata says {@code database_type} is {@code databaseType}. */
    public static MmdbWriter ofType(String databaseType) {
        return new MmdbWriter(databaseType);
    }

    /** A {@code GeoLite2-Country} database. */
    public static MmdbWriter countries() {
        return ofType("GeoLite2-Country");
    }

    /** A {@code GeoLite2-City} database (whose records here hold no more than a country database's). */
    public static MmdbWriter cities() {
        return ofType("GeoLite2-City");
    }

    /** A {@code GeoLite2-ASN} database. */
    public static MmdbWriter asns() {
        return ofType("GeoLite2-ASN");
    }

    /**
     * A country record: {@code {"country":{"iso_code":country},"continent":{"code":continent}}}.
     *
     * @param network in CIDR notation, IPv4 ({@code 10.20.0.0/16}) or IPv6 ({@code 2001:db8::/32})
     */
    public MmdbWriter network(String network, String country, String continent) {
        return network(network, Map.of("country", Map.of("iso_code", country), "continent", Map.of("code", continent)));
    }

    /** An ASN record: {@code {"autonomous_system_number":number,"autonomous_system_organization":organization}}. */
    public MmdbWriter network(String network, long autonomousSystem, String organization) {
        return network(network, Map.of("autonomous_system_number", autonomousSystem,
                "autonomous_system_organization", organization));
    }

    /** Any record, made of the value types listed above. */
    public MmdbWriter network(String network, Map<String, ?> record) {
        networks.add(Network.parse(network, record));
        return this;
    }

    /** Writes the database to {@code destination}, replacing it, and returns {@code destination}. */
    public Path write(Path destination) throws IOException {
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        Map<ByteBuffer, Integer> offsets = new HashMap<>();
        Node root = new Node();
        // Shorter prefixes first, so that a longer one splits the leaf it falls in and keeps the rest of it.
        for (Network network : networks.stream().sorted(Comparator.comparingInt(Network::prefixLength)).toList()) {
            byte[] record = encode(network.record());
            int offset = offsets.computeIfAbsent(ByteBuffer.wrap(record), key -> {
                int start = data.size();
                data.writeBytes(record);
                return start;
            });
            root.insert(network, new Leaf(offset));
        }

        List<Node> nodes = breadthFirst(root);
        Map<Node, Integer> numbers = new IdentityHashMap<>();
        nodes.forEach(node -> numbers.put(node, numbers.size()));
        long nodeCount = nodes.size();
        ByteBuffer tree = ByteBuffer.allocate(nodes.size() * 2 * (RECORD_SIZE_BITS / 8));
        for (Node node : nodes) {
            for (Child child : node.children) {
                // A record is a node number, the node count for "no data", or a data section offset past both.
                long value = switch (child) {
                    case null -> nodeCount;
                    case Node next -> numbers.get(next);
                    case Leaf leaf -> nodeCount + DATA_SECTION_SEPARATOR + leaf.dataOffset();
                };
                tree.putInt((int) value);
            }
        }

        Map<String, Object> metadata = Map.of(
                "node_count", nodeCount,
                "record_size", RECORD_SIZE_BITS,
                "ip_version", 6,
                "database_type", databaseType,
                "languages", List.of("en"),
                "binary_format_major_version", 2,
                "binary_format_minor_version", 0,
                "build_epoch", BigInteger.valueOf(BUILD_EPOCH_SECONDS),
                "description", Map.of("en", "Berth test data"));

        ByteArrayOutputStream content = new ByteArrayOutputStream();
        content.writeBytes(tree.array());
        content.writeBytes(new byte[DATA_SECTION_SEPARATOR]);
        data.writeTo(content);
        content.writeBytes(METADATA_MARKER);
        content.writeBytes(encode(metadata));
        Files.write(destination, content.toByteArray());
        return destination;
    }

    private static List<Node> breadthFirst(Node root) {
        List<Node> nodes = new ArrayList<>();
        Queue<Node> queue = new ArrayDeque<>(List.of(root));
        while (!queue.isEmpty()) {
            Node node = queue.remove();
            nodes.add(node);
            for (Child child : node.children) {
                if (child instanceof Node next) {
                    queue.add(next);
                }
            }
        }
        return nodes;
    }

    /** One value in the data section encoding: a control byte (type and size), then the payload. */
    private static byte[] encode(Object value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        switch (value) {
            case String text -> {
                byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
                control(out, UTF8_STRING, bytes.length);
                out.writeBytes(bytes);
            }
            case Integer number -> unsigned(out, UINT16, BigInteger.valueOf(number), 16);
            case Long number -> unsigned(out, UINT32, BigInteger.valueOf(number), 32);
            case BigInteger number -> unsigned(out, UINT64, number, 64);
            case Boolean flag -> control(out, BOOLEAN, flag ? 1 : 0);
            case Map<?, ?> map -> {
                // Keys sorted, so that equal maps give equal bytes whatever order they iterate in.
                Map<String, Object> sorted = new TreeMap<>();
                map.forEach((key, entry) -> {
                    if (!(key instanceof String name)) {
                        throw new IllegalArgumentException("map keys are strings, not " + key);
                    }
                    sorted.put(name, entry);
                });
                control(out, MAP, sorted.size());
                sorted.forEach((key, entry) -> {
                    out.writeBytes(encode(key));
                    out.writeBytes(encode(entry));
                });
            }
            case List<?> list -> {
                control(out, ARRAY, list.size());
                list.forEach(element -> out.writeBytes(encode(element)));
            }
            default -> throw new IllegalArgumentException("no MaxMind DB type for " + value.getClass().getName());
        }
        return out.toByteArray();
    }

    /** An unsigned integer: as few big-endian bytes as hold it (none for zero), the count as its size. */
    private static void unsigned(ByteArrayOutputStream out, int type, BigInteger number, int bits) {
        if (number.signum() < 0 || number.bitLength() > bits) {
            throw new IllegalArgumentException(number + " is not an unsigned " + bits + "-bit integer");
        }
        byte[] bytes = number.toByteArray();
        int leadingZeros = 0;
        while (leadingZeros < bytes.length && bytes[leadingZeros] == 0) {
            leadingZeros++;
        }
        control(out, type, bytes.length - leadingZeros);
        out.write(bytes, leadingZeros, bytes.length - leadingZeros);
    }

    /**
     * The control byte: type in the top three bits (0 for an extended type, which follows in the next
     * byte as type - 7), size in the low five; sizes from 29 on continue in one to three more bytes.
     */
    private static void control(ByteArrayOutputStream out, int type, int size) {
        int sizeBits;
        byte[] sizeBytes;
        if (size < 29) {
            sizeBits = size;
            sizeBytes = new byte[0];
        } else if (size < 29 + 256) {
            sizeBits = 29;
            sizeBytes = new byte[] {(byte) (size - 29)};
        } else if (size < 285 + 65_536) {
            sizeBits = 30;
            sizeBytes = new byte[] {(byte) ((size - 285) >> 8), (byte) (size - 285)};
        } else {
            sizeBits = 31;
            sizeBytes = new byte[] {(byte) ((size - 65_821) >> 16), (byte) ((size - 65_821) >> 8), (byte) (size - 65_821)};
        }
        if (type < 8) {
            out.write(type << 5 | sizeBits);
        } else {
            out.write(sizeBits);
            out.write(type - 7);
        }
        out.writeBytes(sizeBytes);
    }

    /** A network as a 128-bit address and a prefix length in the IPv6 tree. */
    private record Network(byte[] address, int prefixLength, Map<String, ?> record) {
        static Network parse(String cidr, Map<String, ?> record) {
            int slash = cidr.indexOf('/');
            if (slash < 0) {
                throw new IllegalArgumentException("not in CIDR notation: " + cidr);
            }
            String literal = cidr.substring(0, slash);
            // InetAddress.getByName would look a host name up in DNS; only literals may reach it.
            if (!literal.matches("[0-9a-fA-F:.]+")) {
                throw new IllegalArgumentException("not an address literal: " + literal);
            }
            InetAddress address;
            try {
                address = InetAddress.getByName(literal);
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException("not an address: " + cidr, e);
            }
            byte[] raw = address.getAddress();
            int givenLength = Integer.parseInt(cidr.substring(slash + 1));
            if (givenLength < 0 || givenLength > raw.length * 8) {
                throw new IllegalArgumentException("prefix length out of range: " + cidr);
            }
            int prefixLength = address instanceof Inet4Address ? IPV4_PREFIX_BITS + givenLength : givenLength;
            if (prefixLength == 0) {
                throw new IllegalArgumentException("::/0 has no record of its own in the tree; split it in halves");
            }
            byte[] bytes = new byte[ADDRESS_BITS / 8];
            System.arraycopy(raw, 0, bytes, bytes.length - raw.length, raw.length);
            for (int bit = prefixLength; bit < ADDRESS_BITS; bit++) {
                if (bit(bytes, bit) != 0) {
                    throw new IllegalArgumentException("host bits are set: " + cidr);
                }
            }
            return new Network(bytes, prefixLength, record);
        }
    }

    private static int bit(byte[] address, int index) {
        return (address[index / 8] >> (7 - index % 8)) & 1;
    }

    /** What a tree record points to: another node, a record in the data section, or (null) nothing. */
    private sealed interface Child permits Node, Leaf {
    }

    private record Leaf(int dataOffset) implements Child {
    }

    private static final class Node implements Child {
        /** Index 0 for a 0 bit, 1 for a 1 bit. */
        final Child[] children = new Child[2];

        /** Points the network's subtree at {@code leaf}; a leaf on the way is split into two copies of itself. */
        void insert(Network network, Leaf leaf) {
            Node node = this;
            for (int depth = 0; depth < network.prefixLength() - 1; depth++) {
                int bit = bit(network.address(), depth);
                if (node.children[bit] instanceof Node next) {
                    node = next;
                } else {
                    Node split = new Node();
                    split.children[0] = node.children[bit];
                    split.children[1] = node.children[bit];
                    node.children[bit] = split;
                    node = split;
                }
            }
            node.children[bit(network.address(), network.prefixLength() - 1)] = leaf;
        }
    }
}

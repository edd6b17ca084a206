package io.berth.mirror;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Values filed under netblocks, found by the most specific netblocks holding an address: one hash
 * lookup per distinct prefix length in use, longest first, instead of a scan of every netblock.
 * Immutable once built.
 */
final class NetblockIndex<T> {
    private record Key(boolean v6, int prefixLength, long high, long low) {
    }

    private final int[] v4PrefixLengths;
    private final int[] v6PrefixLengths;
    private final Map<Key, List<T>> values;

    private NetblockIndex(int[] v4PrefixLengths, int[] v6PrefixLengths, Map<Key, List<T>> values) {
        this.v4PrefixLengths = v4PrefixLengths;
        this.v6PrefixLengths = v6PrefixLengths;
        this.values = values;
    }

    /** Builds the index; {@code entries} maps each value to its netblocks. */
    static <T> NetblockIndex<T> of(Map<T, List<Netblock>> entries) {
        TreeSet<Integer> v4 = new TreeSet<>();
        TreeSet<Integer> v6 = new TreeSet<>();
        Map<Key, List<T>> values = new HashMap<>();
        entries.forEach((value, netblocks) -> {
            for (Netblock netblock : netblocks) {
                boolean isV6 = !(netblock.network() instanceof Inet4Address);
                (isV6 ? v6 : v4).add(netblock.prefixLength());
                List<T> filed = values.computeIfAbsent(key(netblock.network(), netblock.prefixLength()), k -> new ArrayList<>());
                if (!filed.contains(value)) {
                    filed.add(value);
                }
            }
        });
        Map<Key, List<T>> frozen = new HashMap<>();
        values.forEach((key, list) -> frozen.put(key, List.copyOf(list)));
        return new NetblockIndex<>(descending(v4), descending(v6), Map.copyOf(frozen));
    }

    /**
     * The values of every netblock holding {@code address}, grouped by netblock prefix length,
     * longest (most specific) first. A value appears in the group of its most specific match only.
     */
    List<List<T>> matches(InetAddress address) {
        InetAddress client = Netblock.unmapped(address);
        boolean isV6 = !(client instanceof Inet4Address);
        byte[] bytes = client.getAddress();
        long high = isV6 ? bits(bytes, 0) : 0;
        long low = isV6 ? bits(bytes, 8) : ((long) bits32(bytes)) & 0xffffffffL;
        List<List<T>> groups = new ArrayList<>(2);
        java.util.Set<T> seen = new java.util.HashSet<>();
        for (int prefixLength : isV6 ? v6PrefixLengths : v4PrefixLengths) {
            List<T> filed = values.get(masked(isV6, prefixLength, high, low));
            if (filed != null) {
                List<T> fresh = new ArrayList<>(filed.size());
                for (T value : filed) {
                    if (seen.add(value)) {
                        fresh.add(value);
                    }
                }
                if (!fresh.isEmpty()) {
                    groups.add(fresh);
                }
            }
        }
        return groups;
    }

    boolean isEmpty() {
        return values.isEmpty();
    }

    private static Key key(InetAddress network, int prefixLength) {
        byte[] bytes = network.getAddress();
        boolean isV6 = !(network instanceof Inet4Address);
        long high = isV6 ? bits(bytes, 0) : 0;
        long low = isV6 ? bits(bytes, 8) : ((long) bits32(bytes)) & 0xffffffffL;
        return masked(isV6, prefixLength, high, low);
    }

    private static Key masked(boolean isV6, int prefixLength, long high, long low) {
        if (!isV6) {
            long mask = prefixLength == 0 ? 0 : (0xffffffffL << (32 - prefixLength)) & 0xffffffffL;
            return new Key(false, prefixLength, 0, low & mask);
        }
        long highMask = prefixLength >= 64 ? -1L : prefixLength == 0 ? 0 : -1L << (64 - prefixLength);
        long lowMask = prefixLength <= 64 ? 0 : prefixLength == 128 ? -1L : -1L << (128 - prefixLength);
        return new Key(true, prefixLength, high & highMask, low & lowMask);
    }

    private static long bits(byte[] bytes, int from) {
        long value = 0;
        for (int i = from; i < from + 8; i++) {
            value = (value << 8) | (bytes[i] & 0xff);
        }
        return value;
    }

    private static int bits32(byte[] bytes) {
        return ((bytes[0] & 0xff) << 24) | ((bytes[1] & 0xff) << 16) | ((bytes[2] & 0xff) << 8) | (bytes[3] & 0xff);
    }

    private static int[] descending(TreeSet<Integer> lengths) {
        return lengths.descendingSet().stream().mapToInt(Integer::intValue).toArray();
    }
}

package io.berth.mirror;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.random.RandomGenerator;

/**
 * Chooses the mirrors a client should download a blob from, MirrorManager's way, over an immutable
 * set of mirror statuses (so a choice is a few comparisons in memory, never a query):
 *
 * <ol>
 *   <li>only mirrors that are {@linkplain MirrorStatus#holds hold} the blob's generation count;</li>
 *   <li>mirrors with a netblock holding the client, most specific netblock first;</li>
 *   <li>mirrors declaring the client's autonomous system;</li>
 *   <li>public mirrors in the client's country, then in other countries of its continent;</li>
 *   <li>when fewer than {@link #GLOBAL_POOL_THRESHOLD} were found, every other public mirror.</li>
 * </ol>
 *
 * Private mirrors are chosen only by the netblock and autonomous-system steps; a mirror with allowed
 * countries serves other clients only through those two steps too. Inside each group the order is a
 * shuffle weighted by {@link Mirror#weight()}. The first mirror is the redirect target.
 *
 * <p>A caller may also pass which mirrors are reachable now ({@link SourceHealth}): the others are
 * left out as if they did not hold the blob, so their clients go to the next group.
 */
public final class MirrorSelector {
    /** Below this many candidates from the earlier steps, the global pool is added (as MirrorManager does). */
    public static final int GLOBAL_POOL_THRESHOLD = 5;

    /** Why a mirror is a candidate, in the order the steps run. */
    public enum Reason { NETBLOCK, AUTONOMOUS_SYSTEM, COUNTRY, CONTINENT, GLOBAL }

    /** One candidate, with the step that found it. */
    public record Candidate(Mirror mirror, Reason reason) {
    }

    private final NetblockIndex<MirrorStatus> byNetblock;
    private final Map<Long, List<MirrorStatus>> byAutonomousSystem;
    private final Map<String, List<MirrorStatus>> byCountry;
    private final Map<String, List<MirrorStatus>> byContinent;
    private final List<MirrorStatus> publicMirrors;

    /** Indexes the usable mirrors among {@code statuses}; the others are never chosen. */
    public MirrorSelector(List<MirrorStatus> statuses) {
        List<MirrorStatus> usable = statuses.stream().filter(MirrorStatus::usable).toList();
        Map<MirrorStatus, List<Netblock>> netblocks = new java.util.LinkedHashMap<>();
        usable.forEach(status -> netblocks.put(status, status.mirror().netblocks()));
        this.byNetblock = NetblockIndex.of(netblocks);
        Map<Long, List<MirrorStatus>> systems = new HashMap<>();
        Map<String, List<MirrorStatus>> countries = new HashMap<>();
        Map<String, List<MirrorStatus>> continents = new HashMap<>();
        for (MirrorStatus status : usable) {
            status.mirror().autonomousSystems().forEach(number -> systems.computeIfAbsent(number, key -> new ArrayList<>()).add(status));
            if (!status.mirror().privateMirror()) {
                status.mirror().country().ifPresent(country -> countries.computeIfAbsent(country, key -> new ArrayList<>()).add(status));
                status.mirror().continent().ifPresent(continent -> continents.computeIfAbsent(continent, key -> new ArrayList<>()).add(status));
            }
        }
        this.byAutonomousSystem = freeze(systems);
        this.byCountry = freeze(countries);
        this.byContinent = freeze(continents);
        this.publicMirrors = usable.stream().filter(status -> !status.mirror().privateMirror()).toList();
    }

    public static MirrorSelector empty() {
        return new MirrorSelector(List.of());
    }

    /**
     * The redirect target for a blob of {@code generation}: a weighted pick from the first step that
     * finds any mirror. Cheaper than {@link #rank}, with the same first choice distribution.
     */
    public Optional<Mirror> choose(ClientLocation client, long generation, RandomGenerator random) {
        return choose(client, generation, random, mirror -> true);
    }

    /** As {@link #choose(ClientLocation, long, RandomGenerator)}, among the mirrors {@code reachable} accepts. */
    public Optional<Mirror> choose(ClientLocation client, long generation, RandomGenerator random, Predicate<Mirror> reachable) {
        List<MirrorStatus> group = mostSpecificNetblockMatches(client, generation, reachable);
        if (group.isEmpty()) {
            group = autonomousSystemMatches(client, generation, Set.of(), reachable);
        }
        if (group.isEmpty()) {
            group = countryMatches(client, generation, Set.of(), reachable);
        }
        if (group.isEmpty()) {
            group = continentMatches(client, generation, Set.of(), reachable);
        }
        if (group.isEmpty()) {
            group = globalMatches(client, generation, Set.of(), reachable);
        }
        return group.isEmpty() ? Optional.empty() : Optional.of(weightedPick(group, random).mirror());
    }

    /** Every candidate for a blob of {@code generation}, best first, each with the step that found it. */
    public List<Candidate> rank(ClientLocation client, long generation, RandomGenerator random) {
        return rank(client, generation, random, mirror -> true);
    }

    /** As {@link #rank(ClientLocation, long, RandomGenerator)}, among the mirrors {@code reachable} accepts. */
    public List<Candidate> rank(ClientLocation client, long generation, RandomGenerator random, Predicate<Mirror> reachable) {
        Set<Mirror> found = new LinkedHashSet<>();
        List<Candidate> ranked = new ArrayList<>();
        for (List<MirrorStatus> group : byNetblock.matches(client.address())) {
            add(ranked, found, weightedShuffle(eligible(group, generation, Set.of(), Optional.empty(), false, reachable), random),
                    Reason.NETBLOCK);
        }
        add(ranked, found, weightedShuffle(autonomousSystemMatches(client, generation, found, reachable), random),
                Reason.AUTONOMOUS_SYSTEM);
        add(ranked, found, weightedShuffle(countryMatches(client, generation, found, reachable), random), Reason.COUNTRY);
        add(ranked, found, weightedShuffle(continentMatches(client, generation, found, reachable), random), Reason.CONTINENT);
        if (ranked.size() < GLOBAL_POOL_THRESHOLD) {
            add(ranked, found, weightedShuffle(globalMatches(client, generation, found, reachable), random), Reason.GLOBAL);
        }
        return ranked;
    }

    private static void add(List<Candidate> ranked, Set<Mirror> found, List<MirrorStatus> group, Reason reason) {
        for (MirrorStatus status : group) {
            if (found.add(status.mirror())) {
                ranked.add(new Candidate(status.mirror(), reason));
            }
        }
    }

    /** The mirrors of the most specific netblocks holding the client that hold the generation. */
    private List<MirrorStatus> mostSpecificNetblockMatches(ClientLocation client, long generation, Predicate<Mirror> reachable) {
        if (byNetblock.isEmpty()) {
            return List.of();
        }
        for (List<MirrorStatus> group : byNetblock.matches(client.address())) {
            List<MirrorStatus> holding = eligible(group, generation, Set.of(), Optional.empty(), false, reachable);
            if (!holding.isEmpty()) {
                return holding;
            }
        }
        return List.of();
    }

    private List<MirrorStatus> autonomousSystemMatches(ClientLocation client, long generation, Set<Mirror> found,
                                                       Predicate<Mirror> reachable) {
        if (client.autonomousSystem().isEmpty()) {
            return List.of();
        }
        return eligible(byAutonomousSystem.getOrDefault(client.autonomousSystem().getAsLong(), List.of()),
                generation, found, Optional.empty(), false, reachable);
    }

    private List<MirrorStatus> countryMatches(ClientLocation client, long generation, Set<Mirror> found,
                                              Predicate<Mirror> reachable) {
        return client.country()
                .map(country -> eligible(byCountry.getOrDefault(country, List.of()), generation, found, client.country(), true,
                        reachable))
                .orElse(List.of());
    }

    private List<MirrorStatus> continentMatches(ClientLocation client, long generation, Set<Mirror> found,
                                                Predicate<Mirror> reachable) {
        return client.continent()
                .map(continent -> eligible(byContinent.getOrDefault(continent, List.of()), generation, found,
                        client.country(), true, reachable))
                .orElse(List.of());
    }

    private List<MirrorStatus> globalMatches(ClientLocation client, long generation, Set<Mirror> found,
                                             Predicate<Mirror> reachable) {
        return eligible(publicMirrors, generation, found, client.country(), true, reachable);
    }

    private static List<MirrorStatus> eligible(List<MirrorStatus> group, long generation, Set<Mirror> found,
                                               Optional<String> clientCountry, boolean checkAllowedCountries,
                                               Predicate<Mirror> reachable) {
        List<MirrorStatus> eligible = new ArrayList<>(group.size());
        for (MirrorStatus status : group) {
            if (status.holds(generation) && !found.contains(status.mirror())
                    && (!checkAllowedCountries || status.mirror().servesCountry(clientCountry))
                    && reachable.test(status.mirror())) {
                eligible.add(status);
            }
        }
        return eligible;
    }

    private static MirrorStatus weightedPick(List<MirrorStatus> group, RandomGenerator random) {
        if (group.size() == 1) {
            return group.getFirst();
        }
        long total = 0;
        for (MirrorStatus status : group) {
            total += status.mirror().weight();
        }
        long point = random.nextLong(total);
        for (MirrorStatus status : group) {
            point -= status.mirror().weight();
            if (point < 0) {
                return status;
            }
        }
        return group.getLast();
    }

    /**
     * A random order in which a mirror comes before another with odds proportional to its weight
     * (each mirror is keyed by {@code u^(1/weight)} for a uniform {@code u}, largest key first).
     */
    private static List<MirrorStatus> weightedShuffle(List<MirrorStatus> group, RandomGenerator random) {
        record Keyed(MirrorStatus status, double key) {
        }
        return group.stream()
                .map(status -> new Keyed(status, Math.pow(random.nextDouble(), 1.0 / status.mirror().weight())))
                .sorted(Comparator.comparingDouble(Keyed::key).reversed())
                .map(Keyed::status)
                .toList();
    }

    private static <K> Map<K, List<MirrorStatus>> freeze(Map<K, List<MirrorStatus>> groups) {
        Map<K, List<MirrorStatus>> frozen = new HashMap<>();
        groups.forEach((key, value) -> frozen.put(key, List.copyOf(value)));
        return Map.copyOf(frozen);
    }
}

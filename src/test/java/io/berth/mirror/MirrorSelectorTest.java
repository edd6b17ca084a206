package io.berth.mirror;

import static io.berth.mirror.TestMirrors.address;
import static io.berth.mirror.TestMirrors.mirror;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.api.Assertions.within;

import io.berth.mirror.MirrorSelector.Candidate;
import io.berth.mirror.MirrorSelector.Reason;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Which mirrors a client is sent to: netblock (most specific first), autonomous system, country,
 * continent, and the global pool when fewer than five were found; private mirrors and mirrors with
 * allowed countries only where they may serve; only mirrors that hold the blob's generation; and,
 * inside a group, odds that follow bandwidth.
 */
class MirrorSelectorTest {
    private static final long GENERATION = 3;
    private static final long CLIENT_AUTONOMOUS_SYSTEM = 64500;
    /** A client in Germany, in the netblock 198.51.100.0/24, announced by AS 64500. */
    private static final ClientLocation GERMAN_CLIENT = new ClientLocation(address("198.51.100.20"),
            Optional.of("DE"), Optional.of("EU"), OptionalLong.of(CLIENT_AUTONOMOUS_SYSTEM));
    /** Draws enough that a wrong choice among a handful of mirrors would show. */
    private static final int REPEATED_DRAWS = 500;
    private static final int WEIGHTED_DRAWS = 20_000;

    @Test
    void rankRunsTheStepsInOrderNetblockAutonomousSystemCountryContinentGlobal() {
        MirrorSelector selector = new MirrorSelector(List.of(
                mirror("brazil").in("BR").syncedTo(GENERATION),
                mirror("austria").in("AT").syncedTo(GENERATION),
                mirror("germany").in("DE").syncedTo(GENERATION),
                mirror("carrier").in("US").servingAutonomousSystems(CLIENT_AUTONOMOUS_SYSTEM).syncedTo(GENERATION),
                mirror("campus").in("JP").servingNetblocks("198.51.100.0/24").syncedTo(GENERATION)));

        List<Candidate> ranked = selector.rank(GERMAN_CLIENT, GENERATION, new SplittableRandom(1));

        assertThat(ranked).extracting(candidate -> candidate.mirror().name(), Candidate::reason).containsExactly(
                tuple("campus", Reason.NETBLOCK),
                tuple("carrier", Reason.AUTONOMOUS_SYSTEM),
                tuple("germany", Reason.COUNTRY),
                tuple("austria", Reason.CONTINENT),
                tuple("brazil", Reason.GLOBAL));
    }

    @Test
    void aNetblockHoldingTheClientComesBeforeEveryOtherStep() {
        MirrorSelector selector = new MirrorSelector(List.of(
                mirror("germany").in("DE").bandwidthMbps(100_000).syncedTo(GENERATION),
                mirror("carrier").servingAutonomousSystems(CLIENT_AUTONOMOUS_SYSTEM).syncedTo(GENERATION),
                mirror("campus").in("JP").servingNetblocks("198.51.100.0/24").bandwidthMbps(1).syncedTo(GENERATION)));

        assertAlwaysChosen(selector, GERMAN_CLIENT, "campus");
    }

    @Test
    void theClientsAutonomousSystemComesBeforeItsCountry() {
        MirrorSelector selector = new MirrorSelector(List.of(
                mirror("germany").in("DE").bandwidthMbps(100_000).syncedTo(GENERATION),
                mirror("carrier").in("US").servingAutonomousSystems(CLIENT_AUTONOMOUS_SYSTEM).bandwidthMbps(1)
                        .syncedTo(GENERATION)));

        assertAlwaysChosen(selector, GERMAN_CLIENT, "carrier");
    }

    @Test
    void theClientsCountryComesBeforeItsContinent() {
        MirrorSelector selector = new MirrorSelector(List.of(
                mirror("austria").in("AT").bandwidthMbps(100_000).syncedTo(GENERATION),
                mirror("germany").in("DE").bandwidthMbps(1).syncedTo(GENERATION)));

        assertAlwaysChosen(selector, GERMAN_CLIENT, "germany");
    }

    @Test
    void theClientsContinentComesBeforeTheGlobalPool() {
        MirrorSelector selector = new MirrorSelector(List.of(
                mirror("brazil").in("BR").bandwidthMbps(100_000).syncedTo(GENERATION),
                mirror("austria").in("AT").bandwidthMbps(1).syncedTo(GENERATION)));

        assertAlwaysChosen(selector, GERMAN_CLIENT, "austria");
    }

    @Test
    void aDeclaredContinentCountsInsteadOfTheCountrysOwn() {
        MirrorSelector selector = new MirrorSelector(List.of(
                mirror("brazil").in("BR").bandwidthMbps(100_000).syncedTo(GENERATION),
                mirror("istanbul").in("TR").onContinent("EU").bandwidthMbps(1).syncedTo(GENERATION)));

        assertAlwaysChosen(selector, GERMAN_CLIENT, "istanbul");
    }

    @Test
    void theGlobalPoolServesAClientNoEarlierStepPlaces() {
        ClientLocation unknown = ClientLocation.unknown(address("192.0.2.1"));
        MirrorSelector selector = new MirrorSelector(List.of(
                mirror("germany").in("DE").syncedTo(GENERATION),
                mirror("nowhere").syncedTo(GENERATION)));

        assertThat(selector.rank(unknown, GENERATION, new SplittableRandom(1)))
                .extracting(candidate -> candidate.mirror().name(), Candidate::reason)
                .containsExactlyInAnyOrder(tuple("germany", Reason.GLOBAL), tuple("nowhere", Reason.GLOBAL));
        assertThat(chosenNames(selector, unknown)).containsExactlyInAnyOrder("germany", "nowhere");
    }

    @Test
    void withoutMirrorsNothingIsChosen() {
        assertThat(MirrorSelector.empty().choose(GERMAN_CLIENT, GENERATION, new SplittableRandom(1))).isEmpty();
        assertThat(MirrorSelector.empty().rank(GERMAN_CLIENT, GENERATION, new SplittableRandom(1))).isEmpty();
    }

    @Test
    void theMostSpecificNetblockWinsOverABroaderOne() {
        MirrorSelector selector = new MirrorSelector(List.of(
                mirror("region").servingNetblocks("198.51.0.0/16").bandwidthMbps(100_000).syncedTo(GENERATION),
                mirror("building").servingNetblocks("198.51.100.16/28").bandwidthMbps(1).syncedTo(GENERATION),
                mirror("campus").servingNetblocks("198.51.100.0/24").bandwidthMbps(100_000).syncedTo(GENERATION)));

        assertAlwaysChosen(selector, GERMAN_CLIENT, "building");
        assertThat(selector.rank(GERMAN_CLIENT, GENERATION, new SplittableRandom(1)))
                .extracting(candidate -> candidate.mirror().name(), Candidate::reason)
                .containsExactly(
                        tuple("building", Reason.NETBLOCK),
                        tuple("campus", Reason.NETBLOCK),
                        tuple("region", Reason.NETBLOCK));
    }

    @Test
    void aMirrorIsRankedByItsMostSpecificNetblockHoldingTheClient() {
        MirrorSelector selector = new MirrorSelector(List.of(
                mirror("campus").servingNetblocks("198.51.100.0/24").syncedTo(GENERATION),
                mirror("operator").servingNetblocks("198.51.0.0/16", "198.51.100.0/25").syncedTo(GENERATION)));

        assertAlwaysChosen(selector, GERMAN_CLIENT, "operator");
    }

    @Test
    void anIpv6ClientIsMatchedByAnIpv6Netblock() {
        ClientLocation ipv6Client = ClientLocation.unknown(address("2001:db8:42::7"));
        MirrorSelector selector = new MirrorSelector(List.of(
                mirror("ipv4-campus").servingNetblocks("0.0.0.0/0").privately().syncedTo(GENERATION),
                mirror("ipv6-campus").servingNetblocks("2001:db8:42::/48").privately().syncedTo(GENERATION)));

        assertAlwaysChosen(selector, ipv6Client, "ipv6-campus");
    }

    @Test
    void aMirrorFoundByOneStepIsNotListedAgainByALaterOne() {
        MirrorSelector selector = new MirrorSelector(List.of(
                mirror("everything").in("DE").servingNetblocks("198.51.100.0/24")
                        .servingAutonomousSystems(CLIENT_AUTONOMOUS_SYSTEM).syncedTo(GENERATION)));

        assertThat(selector.rank(GERMAN_CLIENT, GENERATION, new SplittableRandom(1)))
                .extracting(candidate -> candidate.mirror().name(), Candidate::reason)
                .containsExactly(tuple("everything", Reason.NETBLOCK));
    }

    @Test
    void aPrivateMirrorIsNeverChosenByCountryContinentOrTheGlobalPool() {
        MirrorSelector selector = new MirrorSelector(List.of(
                mirror("internal").in("DE").servingNetblocks("10.0.0.0/8").servingAutonomousSystems(64999L).privately()
                        .syncedTo(GENERATION)));
        ClientLocation austrian = new ClientLocation(address("192.0.2.1"), Optional.of("AT"), Optional.of("EU"),
                OptionalLong.empty());

        assertThat(selector.choose(GERMAN_CLIENT, GENERATION, new SplittableRandom(1))).isEmpty();
        assertThat(selector.rank(GERMAN_CLIENT, GENERATION, new SplittableRandom(1))).isEmpty();
        assertThat(selector.rank(austrian, GENERATION, new SplittableRandom(1))).isEmpty();
        assertThat(selector.rank(ClientLocation.unknown(address("192.0.2.1")), GENERATION, new SplittableRandom(1)))
                .isEmpty();
    }

    @Test
    void aPrivateMirrorServesItsOwnNetblocksAndAutonomousSystems() {
        MirrorSelector selector = new MirrorSelector(List.of(
                mirror("public").in("DE").syncedTo(GENERATION),
                mirror("internal").in("DE").servingNetblocks("10.0.0.0/8").servingAutonomousSystems(64999L).privately()
                        .syncedTo(GENERATION)));
        ClientLocation inside = new ClientLocation(address("10.1.2.3"), Optional.of("DE"), Optional.of("EU"),
                OptionalLong.empty());
        ClientLocation onItsNetwork = new ClientLocation(address("192.0.2.1"), Optional.of("DE"), Optional.of("EU"),
                OptionalLong.of(64999));

        assertThat(selector.rank(inside, GENERATION, new SplittableRandom(1)).getFirst())
                .extracting(candidate -> candidate.mirror().name(), Candidate::reason)
                .containsExactly("internal", Reason.NETBLOCK);
        assertThat(selector.rank(onItsNetwork, GENERATION, new SplittableRandom(1)).getFirst())
                .extracting(candidate -> candidate.mirror().name(), Candidate::reason)
                .containsExactly("internal", Reason.AUTONOMOUS_SYSTEM);
        assertAlwaysChosen(selector, inside, "internal");
        assertAlwaysChosen(selector, onItsNetwork, "internal");
    }

    @Test
    void aMirrorWithAllowedCountriesServesOnlyThoseCountriesOutsideItsNetworks() {
        MirrorSelector selector = new MirrorSelector(List.of(
                mirror("dach").in("DE").allowingCountries("DE", "AT", "CH").syncedTo(GENERATION)));

        assertThat(reasonsFor(selector, GERMAN_CLIENT)).containsExactly(Reason.COUNTRY);
        assertThat(reasonsFor(selector, located("AT", "EU"))).containsExactly(Reason.CONTINENT);
        assertThat(reasonsFor(selector, located("FR", "EU"))).as("same continent, not allowed").isEmpty();
        assertThat(reasonsFor(selector, located("BR", "SA"))).as("the global pool, not allowed").isEmpty();
        assertThat(reasonsFor(selector, ClientLocation.unknown(address("192.0.2.1"))))
                .as("a client of unknown country is in no allowed country").isEmpty();
        assertThat(selector.choose(located("FR", "EU"), GENERATION, new SplittableRandom(1))).isEmpty();
    }

    @Test
    void aMirrorWithAllowedCountriesServesItsNetblocksAndAutonomousSystemsFromAnywhere() {
        MirrorSelector selector = new MirrorSelector(List.of(
                mirror("dach").in("DE").allowingCountries("DE").servingNetblocks("198.51.100.0/24")
                        .servingAutonomousSystems(64501L).syncedTo(GENERATION)));
        ClientLocation brazilianInItsNetblock = new ClientLocation(address("198.51.100.9"), Optional.of("BR"),
                Optional.of("SA"), OptionalLong.empty());
        ClientLocation brazilianInItsSystem = new ClientLocation(address("192.0.2.9"), Optional.of("BR"),
                Optional.of("SA"), OptionalLong.of(64501));

        assertThat(reasonsFor(selector, brazilianInItsNetblock)).containsExactly(Reason.NETBLOCK);
        assertThat(reasonsFor(selector, brazilianInItsSystem)).containsExactly(Reason.AUTONOMOUS_SYSTEM);
    }

    @Test
    void aMirrorSyncedToAnOlderGenerationIsNeverChosenForANewerBlob() {
        MirrorSelector selector = new MirrorSelector(List.of(
                mirror("campus").servingNetblocks("198.51.100.0/24").syncedTo(1),
                mirror("germany").in("DE").syncedTo(2)));

        assertAlwaysChosen(selector, GERMAN_CLIENT, 2, "germany");
        assertThat(selector.rank(GERMAN_CLIENT, 2, new SplittableRandom(1)))
                .extracting(candidate -> candidate.mirror().name()).containsExactly("germany");
        assertAlwaysChosen(selector, GERMAN_CLIENT, 1, "campus");
        assertThat(selector.choose(GERMAN_CLIENT, 3, new SplittableRandom(1))).isEmpty();
        assertThat(selector.rank(GERMAN_CLIENT, 3, new SplittableRandom(1))).isEmpty();
    }

    @Test
    void staleDisabledAndNeverCrawledMirrorsAreNeverChosen() {
        List<MirrorStatus> unusable = List.of(
                mirror("stale").in("DE").servingNetblocks("198.51.100.0/24").staleAt(GENERATION),
                mirror("disabled").in("DE").servingNetblocks("198.51.100.0/24").disabled().syncedTo(GENERATION),
                mirror("new").in("DE").servingNetblocks("198.51.100.0/24").neverCrawled());
        MirrorSelector selector = new MirrorSelector(unusable);

        assertThat(selector.choose(GERMAN_CLIENT, GENERATION, new SplittableRandom(1))).isEmpty();
        assertThat(selector.rank(GERMAN_CLIENT, GENERATION, new SplittableRandom(1))).isEmpty();
        assertThat(selector.rank(ClientLocation.unknown(address("192.0.2.1")), 1, new SplittableRandom(1)))
                .as("not in the global pool either").isEmpty();
    }

    @Test
    void theGlobalPoolIsNotAddedWhenEarlierStepsFoundFive() {
        List<MirrorStatus> statuses = new ArrayList<>();
        for (int i = 1; i <= MirrorSelector.GLOBAL_POOL_THRESHOLD; i++) {
            statuses.add(mirror("germany-" + i).in("DE").syncedTo(GENERATION));
        }
        statuses.add(mirror("brazil").in("BR").syncedTo(GENERATION));

        List<Candidate> ranked = new MirrorSelector(statuses).rank(GERMAN_CLIENT, GENERATION, new SplittableRandom(1));

        assertThat(ranked).hasSize(5).extracting(Candidate::reason).containsOnly(Reason.COUNTRY);
    }

    @Test
    void theGlobalPoolIsAddedAfterTheOthersWhenEarlierStepsFoundFewerThanFive() {
        List<MirrorStatus> statuses = new ArrayList<>();
        for (int i = 1; i < MirrorSelector.GLOBAL_POOL_THRESHOLD; i++) {
            statuses.add(mirror("germany-" + i).in("DE").syncedTo(GENERATION));
        }
        statuses.add(mirror("brazil").in("BR").syncedTo(GENERATION));
        statuses.add(mirror("japan").in("JP").syncedTo(GENERATION));

        List<Candidate> ranked = new MirrorSelector(statuses).rank(GERMAN_CLIENT, GENERATION, new SplittableRandom(1));

        assertThat(ranked).hasSize(6);
        assertThat(ranked.subList(0, 4)).extracting(Candidate::reason).containsOnly(Reason.COUNTRY);
        assertThat(ranked.subList(4, 6)).extracting(candidate -> candidate.mirror().name(), Candidate::reason)
                .containsExactlyInAnyOrder(tuple("brazil", Reason.GLOBAL), tuple("japan", Reason.GLOBAL));
    }

    @Test
    void chooseTakesAMirrorInProportionToItsBandwidth() {
        MirrorSelector selector = new MirrorSelector(List.of(
                mirror("heavy").in("DE").bandwidthMbps(900).syncedTo(GENERATION),
                mirror("light").in("DE").bandwidthMbps(100).syncedTo(GENERATION)));
        RandomGenerator random = new SplittableRandom(1);

        Map<String, Integer> chosen = new HashMap<>();
        for (int draw = 0; draw < WEIGHTED_DRAWS; draw++) {
            chosen.merge(selector.choose(GERMAN_CLIENT, GENERATION, random).orElseThrow().name(), 1, Integer::sum);
        }

        assertThat(share(chosen, "heavy")).isCloseTo(0.9, within(0.01));
    }

    @Test
    void rankPutsAMirrorFirstInProportionToItsBandwidth() {
        MirrorSelector selector = new MirrorSelector(List.of(
                mirror("heavy").in("DE").bandwidthMbps(900).syncedTo(GENERATION),
                mirror("light").in("DE").bandwidthMbps(100).syncedTo(GENERATION)));
        RandomGenerator random = new SplittableRandom(1);

        Map<String, Integer> first = new HashMap<>();
        for (int draw = 0; draw < WEIGHTED_DRAWS; draw++) {
            first.merge(selector.rank(GERMAN_CLIENT, GENERATION, random).getFirst().mirror().name(), 1, Integer::sum);
        }

        assertThat(share(first, "heavy")).isCloseTo(0.9, within(0.01));
    }

    @Test
    void threeMirrorsShareTheirGroupByBandwidth() {
        MirrorSelector selector = new MirrorSelector(List.of(
                mirror("large").in("DE").bandwidthMbps(600).syncedTo(GENERATION),
                mirror("medium").in("DE").bandwidthMbps(300).syncedTo(GENERATION),
                mirror("small").in("DE").bandwidthMbps(100).syncedTo(GENERATION)));
        RandomGenerator random = new SplittableRandom(1);

        Map<String, Integer> chosen = new HashMap<>();
        for (int draw = 0; draw < WEIGHTED_DRAWS; draw++) {
            chosen.merge(selector.choose(GERMAN_CLIENT, GENERATION, random).orElseThrow().name(), 1, Integer::sum);
        }

        assertThat(share(chosen, "large")).isCloseTo(0.6, within(0.015));
        assertThat(share(chosen, "medium")).isCloseTo(0.3, within(0.015));
        assertThat(share(chosen, "small")).isCloseTo(0.1, within(0.01));
    }

    @Test
    void bandwidthAboveTheCapWeighsOnlyAsMuchAsTheCap() {
        MirrorSelector selector = new MirrorSelector(List.of(
                mirror("huge").in("DE").bandwidthMbps(10 * Mirror.BANDWIDTH_WEIGHT_CAP_MBPS).syncedTo(GENERATION),
                mirror("capped").in("DE").bandwidthMbps(Mirror.BANDWIDTH_WEIGHT_CAP_MBPS).syncedTo(GENERATION)));
        RandomGenerator random = new SplittableRandom(1);

        Map<String, Integer> chosen = new HashMap<>();
        for (int draw = 0; draw < WEIGHTED_DRAWS; draw++) {
            chosen.merge(selector.choose(GERMAN_CLIENT, GENERATION, random).orElseThrow().name(), 1, Integer::sum);
        }

        assertThat(share(chosen, "huge")).isCloseTo(0.5, within(0.015));
    }

    @Test
    void rankAndChooseAgreeOnTheGroupOfTheFirstCandidate() {
        MirrorSelector selector = new MirrorSelector(List.of(
                mirror("campus-a").servingNetblocks("198.51.100.0/24").syncedTo(GENERATION),
                mirror("campus-b").servingNetblocks("198.51.100.0/24").bandwidthMbps(300).syncedTo(GENERATION),
                mirror("region").servingNetblocks("198.51.0.0/16").syncedTo(GENERATION),
                mirror("carrier-a").servingAutonomousSystems(64501L).syncedTo(GENERATION),
                mirror("carrier-b").servingAutonomousSystems(64501L).bandwidthMbps(200).syncedTo(GENERATION),
                mirror("germany-a").in("DE").syncedTo(GENERATION),
                mirror("germany-b").in("DE").bandwidthMbps(1000).syncedTo(GENERATION),
                mirror("austria").in("AT").syncedTo(GENERATION),
                mirror("france").in("FR").bandwidthMbps(700).syncedTo(GENERATION),
                mirror("brazil").in("BR").syncedTo(GENERATION),
                mirror("japan").in("JP").syncedTo(GENERATION)));
        List<ClientLocation> clients = List.of(
                GERMAN_CLIENT,
                new ClientLocation(address("192.0.2.1"), Optional.of("DE"), Optional.of("EU"), OptionalLong.of(64501)),
                located("DE", "EU"),
                located("CH", "EU"),
                located("AU", "OC"),
                ClientLocation.unknown(address("192.0.2.1")));

        for (ClientLocation client : clients) {
            Set<String> firstGroup = firstGroup(selector.rank(client, GENERATION, new SplittableRandom(1)), client);
            Set<String> chosen = new HashSet<>();
            Set<String> rankedFirst = new HashSet<>();
            for (long seed = 0; seed < REPEATED_DRAWS; seed++) {
                chosen.add(selector.choose(client, GENERATION, new SplittableRandom(seed)).orElseThrow().name());
                rankedFirst.add(selector.rank(client, GENERATION, new SplittableRandom(seed)).getFirst().mirror().name());
            }
            assertThat(chosen).as("chosen for %s", client).isEqualTo(firstGroup);
            assertThat(rankedFirst).as("ranked first for %s", client).isEqualTo(firstGroup);
        }
    }

    private static void assertAlwaysChosen(MirrorSelector selector, ClientLocation client, String name) {
        assertAlwaysChosen(selector, client, GENERATION, name);
    }

    /** Whatever the random draw, both {@code choose} and {@code rank} put {@code name} first. */
    private static void assertAlwaysChosen(MirrorSelector selector, ClientLocation client, long generation, String name) {
        for (long seed = 0; seed < REPEATED_DRAWS; seed++) {
            assertThat(selector.choose(client, generation, new SplittableRandom(seed))).map(Mirror::name).contains(name);
            assertThat(selector.rank(client, generation, new SplittableRandom(seed)).getFirst().mirror().name())
                    .isEqualTo(name);
        }
    }

    private static Set<String> chosenNames(MirrorSelector selector, ClientLocation client) {
        Set<String> names = new HashSet<>();
        for (long seed = 0; seed < REPEATED_DRAWS; seed++) {
            selector.choose(client, GENERATION, new SplittableRandom(seed)).map(Mirror::name).ifPresent(names::add);
        }
        return names;
    }

    private static List<Reason> reasonsFor(MirrorSelector selector, ClientLocation client) {
        return selector.rank(client, GENERATION, new SplittableRandom(1)).stream().map(Candidate::reason).toList();
    }

    /**
     * The mirrors that share the first candidate's step, and for netblocks its prefix length too: the
     * group a weighted pick chooses from.
     */
    private static Set<String> firstGroup(List<Candidate> ranked, ClientLocation client) {
        Candidate first = ranked.getFirst();
        return ranked.stream()
                .filter(candidate -> candidate.reason() == first.reason())
                .filter(candidate -> candidate.reason() != Reason.NETBLOCK
                        || matchedPrefix(candidate, client) == matchedPrefix(first, client))
                .map(candidate -> candidate.mirror().name())
                .collect(Collectors.toSet());
    }

    private static int matchedPrefix(Candidate candidate, ClientLocation client) {
        return candidate.mirror().netblocks().stream().filter(netblock -> netblock.contains(client.address()))
                .mapToInt(Netblock::prefixLength).max().orElseThrow();
    }

    /** A client somewhere in {@code country}, in no netblock or autonomous system of a mirror. */
    private static ClientLocation located(String country, String continent) {
        return new ClientLocation(address("192.0.2.1"), Optional.of(country), Optional.of(continent), OptionalLong.empty());
    }

    private static double share(Map<String, Integer> counts, String name) {
        return counts.getOrDefault(name, 0) / (double) counts.values().stream().mapToInt(Integer::intValue).sum();
    }
}

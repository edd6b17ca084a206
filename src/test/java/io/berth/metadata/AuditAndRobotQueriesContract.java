package io.berth.metadata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/**
 * The audit trail keeps what committed, lists newest first under each filter and pages by id; a
 * robot's secret can be rotated, and a revoked robot's name given to a new robot, never an active one's.
 */
interface AuditAndRobotQueriesContract extends MetadataContractFixture {

    private AuditRecord entry(String action, String actor, Optional<String> repository, Optional<String> source) {
        return new AuditRecord(clock().instant(), action, Optional.of(actor), Optional.of("192.0.2.7"), repository, source,
                "{\"n\":1}");
    }

    private List<String> actions(AuditFilter filter) {
        return metadata().audit().list(filter).stream().map(stored -> stored.record().action()).toList();
    }

    @Test
    default void entriesListNewestFirstWithEveryFieldAsStored() {
        AuditRecord push = entry("push", "robot$osbs", Optional.of("candidate/app"), Optional.empty());
        metadata().audit().append(push);
        metadata().audit().append(entry("login.failed", "mallory", Optional.empty(), Optional.empty()));

        List<StoredAuditRecord> listed = metadata().audit().list(AuditFilter.newest(10));

        assertThat(listed).extracting(stored -> stored.record().action()).containsExactly("login.failed", "push");
        assertThat(listed.get(1).record()).isEqualTo(push);
        assertThat(listed.get(0).id()).isGreaterThan(listed.get(1).id());
    }

    @Test
    default void anEntryAppendedInATransactionThatRollsBackIsNotKept() {
        assertThatThrownBy(() -> store().inTransaction(session -> {
            session.audit().append(entry("push", "alice", Optional.of("candidate/app"), Optional.empty()));
            throw new IllegalStateException("the change failed");
        })).isInstanceOf(IllegalStateException.class);

        assertThat(metadata().audit().list(AuditFilter.newest(10))).isEmpty();
    }

    @Test
    default void filtersByActorActionFamilyRepositoryTimeAndPage() {
        metadata().audit().append(entry("login.succeeded", "alice", Optional.empty(), Optional.empty()));
        metadata().audit().append(entry("login.failed", "alice", Optional.empty(), Optional.empty()));
        metadata().audit().append(entry("loginx", "alice", Optional.empty(), Optional.empty()));
        metadata().audit().append(entry("promotion.granted", "releng", Optional.of("stable/app"), Optional.of("candidate/app")));
        Instant late = clock().instant().plus(Duration.ofHours(1));
        metadata().audit().append(new AuditRecord(late, "push", Optional.of("bob"), Optional.empty(),
                Optional.of("candidate/app"), Optional.empty(), "{}"));
        AuditFilter all = AuditFilter.newest(10);

        assertThat(actions(new AuditFilter(Optional.of("alice"), Optional.of("login"), Optional.empty(), Optional.empty(),
                OptionalLong.empty(), 10))).containsExactly("login.failed", "login.succeeded");
        assertThat(actions(new AuditFilter(Optional.empty(), Optional.of("login.failed"), Optional.empty(), Optional.empty(),
                OptionalLong.empty(), 10))).containsExactly("login.failed");
        assertThat(actions(new AuditFilter(Optional.empty(), Optional.empty(), Optional.of("candidate/app"), Optional.empty(),
                OptionalLong.empty(), 10))).as("the target or the source of a promotion").containsExactly("push", "promotion.granted");
        assertThat(actions(new AuditFilter(Optional.empty(), Optional.empty(), Optional.empty(), Optional.of(late),
                OptionalLong.empty(), 10))).containsExactly("push");
        List<StoredAuditRecord> firstPage = metadata().audit().list(new AuditFilter(Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), OptionalLong.empty(), 2));
        assertThat(actions(all.before(firstPage.get(1).id()))).containsExactly("loginx", "login.failed", "login.succeeded");
    }

    @Test
    default void entriesOlderThanACutoffAreRemoved() {
        metadata().audit().append(entry("push", "alice", Optional.of("candidate/app"), Optional.empty()));
        Instant later = clock().instant().plus(Duration.ofDays(2));
        metadata().audit().append(new AuditRecord(later, "tag", Optional.of("alice"), Optional.empty(),
                Optional.of("candidate/app"), Optional.empty(), "{}"));

        assertThat(metadata().audit().removeBefore(later)).isEqualTo(1);
        assertThat(actions(AuditFilter.newest(10))).containsExactly("tag");
    }

    @Test
    default void aRotatedRobotHasItsNewSecretValidFromTheRotation() {
        Instant created = clock().instant();
        assertThat(metadata().robots().createRobot(new RobotRecord("osbs", "hash-1", "builds", created, Optional.empty()))).isTrue();
        Instant rotated = created.plus(Duration.ofMinutes(5));

        assertThat(metadata().robots().rotateSecret("osbs", "hash-2", rotated)).isTrue();

        RobotRecord robot = metadata().robots().robot("osbs").orElseThrow();
        assertThat(robot.secretHash()).isEqualTo("hash-2");
        assertThat(robot.credentialsSince()).isEqualTo(rotated);
        assertThat(robot.createdAt()).isEqualTo(created);
        assertThat(metadata().robots().rotateSecret("ghost", "hash-3", rotated)).isFalse();
    }

    @Test
    default void everySecretOfARobotHasItsOwnTimeEvenWhenTheClockDoesNotMove() {
        Instant now = clock().instant();
        metadata().robots().createRobot(new RobotRecord("osbs", "hash-1", "builds", now, Optional.empty()));

        metadata().robots().rotateSecret("osbs", "hash-2", now);
        Instant second = metadata().robots().robot("osbs").orElseThrow().credentialsSince();
        metadata().robots().rotateSecret("osbs", "hash-3", now.minusSeconds(60));
        Instant third = metadata().robots().robot("osbs").orElseThrow().credentialsSince();
        metadata().robots().revokeRobot("osbs", now);
        metadata().robots().createRobot(new RobotRecord("osbs", "hash-4", "again", now, Optional.empty()));
        Instant fourth = metadata().robots().robot("osbs").orElseThrow().credentialsSince();

        assertThat(List.of(now, second, third, fourth)).containsExactly(now, now.plusMillis(1), now.plusMillis(2),
                now.plusMillis(3));
    }

    @Test
    default void aRevokedRobotsNameCanBeReusedButAnActiveRobotsCannot() {
        Instant created = clock().instant();
        metadata().robots().createRobot(new RobotRecord("osbs", "hash-1", "old", created, Optional.empty()));
        assertThat(metadata().robots().createRobot(new RobotRecord("osbs", "hash-x", "thief", created, Optional.empty())))
                .as("an active robot's name").isFalse();
        assertThat(metadata().robots().robot("osbs").orElseThrow().secretHash()).isEqualTo("hash-1");
        Instant revoked = created.plus(Duration.ofMinutes(1));
        metadata().robots().revokeRobot("osbs", revoked);
        assertThat(metadata().robots().rotateSecret("osbs", "hash-y", revoked)).as("a revoked robot is not rotated").isFalse();
        Instant again = revoked.plus(Duration.ofMinutes(1));

        assertThat(metadata().robots().createRobot(new RobotRecord("osbs", "hash-2", "new", again, Optional.empty()))).isTrue();

        RobotRecord robot = metadata().robots().robot("osbs").orElseThrow();
        assertThat(robot).isEqualTo(new RobotRecord("osbs", "hash-2", "new", again, Optional.empty(), again));
        assertThat(metadata().robots().listRobots()).hasSize(1);
    }
}

package io.berth.audit;

import io.berth.events.EventOrigin;
import io.berth.metadata.MetadataException;
import io.berth.metadata.MetadataStore;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Audits logins: each password check, at the token endpoint or with Basic credentials sent straight
 * to the API, succeeded or failed, with the name and the client's address.
 *
 * <p>The trail stays readable and bounded whatever clients send. A client sending Basic credentials
 * with every request logs in with every request, so a success is recorded once per user name and
 * address per {@link #SUCCESS_INTERVAL}. Failures are all recorded, up to {@link #FAILURES_PER_MINUTE}
 * a minute across the node; beyond that they are counted, and with the first login of a later
 * minute, failed or succeeded, the count is logged at WARN and written as one {@code login.failed}
 * entry with {@code "suppressed": N} (actor and address {@code -}), so a flood of guesses shows in
 * the trail without filling the database. Writing an entry never makes
 * a login fail: a database error is logged and the login goes on.
 */
public final class LoginAudit {
    /** A user logging in again from the same address within this time is not recorded again. */
    public static final Duration SUCCESS_INTERVAL = Duration.ofMinutes(10);
    /** At most this many failed logins are recorded one by one per minute; the rest are counted. */
    public static final int FAILURES_PER_MINUTE = 600;
    private static final int REMEMBERED_SUCCESSES = 10_000;
    private static final Logger LOG = LoggerFactory.getLogger(LoginAudit.class);

    private final MetadataStore metadata;
    private final AuditTrail trail;
    private final Clock clock;
    /** When each (name, address) pair's success was last recorded, oldest first; bounded. */
    private final Map<String, Long> recordedSuccesses = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
            return size() > REMEMBERED_SUCCESSES;
        }
    };
    private long failureMinute = -1;
    private int failuresThisMinute;
    private int suppressedThisMinute;

    public LoginAudit(MetadataStore metadata, AuditTrail trail, Clock clock) {
        this.metadata = metadata;
        this.trail = trail;
        this.clock = clock;
    }

    /** {@code username} proved who they are from {@code address}. */
    public void succeeded(String username, String address) {
        writeSuppressed(takeSuppressedOfAnEarlierMinute());
        String key = username + "\u0000" + address;
        long now = clock.millis();
        synchronized (recordedSuccesses) {
            Long last = recordedSuccesses.get(key);
            if (last != null && now - last < SUCCESS_INTERVAL.toMillis()) {
                return;
            }
            recordedSuccesses.put(key, now);
        }
        write(AuditAction.LOGIN_SUCCEEDED, username, address, Map.of());
    }

    /** A login as {@code username} from {@code address} failed: a wrong password, or no such user. */
    public void failed(String username, String address) {
        int suppressed;
        boolean record;
        synchronized (this) {
            suppressed = takeSuppressedOfAnEarlierMinute();
            record = failuresThisMinute < FAILURES_PER_MINUTE;
            if (record) {
                failuresThisMinute++;
            } else {
                suppressedThisMinute++;
            }
        }
        writeSuppressed(suppressed);
        if (record) {
            write(AuditAction.LOGIN_FAILED, username, address, Map.of());
        }
    }

    /** Starts a new minute when this is one, returning the failures the previous one counted but did not record. */
    private synchronized int takeSuppressedOfAnEarlierMinute() {
        long minute = clock.millis() / 60_000;
        if (minute == failureMinute) {
            return 0;
        }
        int suppressed = suppressedThisMinute;
        failureMinute = minute;
        failuresThisMinute = 0;
        suppressedThisMinute = 0;
        return suppressed;
    }

    private void writeSuppressed(int suppressed) {
        if (suppressed > 0) {
            LOG.warn("{} failed logins in an earlier minute were counted but not recorded one by one", suppressed);
            write(AuditAction.LOGIN_FAILED, "-", "-", Map.of("suppressed", suppressed));
        }
    }

    private void write(AuditAction action, String username, String address, Map<String, ?> detail) {
        EventOrigin origin = new EventOrigin(Optional.of(username), Optional.of(address));
        try {
            metadata.inTransaction(session -> {
                trail.record(session, origin, action, Optional.empty(), detail);
                return null;
            });
        } catch (MetadataException e) {
            LOG.warn("a {} could not be written to the audit trail: {}", action.wireName(), e.getMessage());
        }
    }
}

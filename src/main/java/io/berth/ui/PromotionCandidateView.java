package io.berth.ui;

import io.berth.metadata.PromotionRecord.GateOutcome;
import io.berth.oci.Digest;
import io.berth.oci.RepositoryName;
import java.util.List;

/**
 * One tag waiting in a candidate repository, with the verdict every gate would give its promotion
 * now.
 *
 * @param source   the candidate repository
 * @param tag      the candidate tag, promoted under the same name
 * @param digest   what the tag points at
 * @param target   the repository the promotion rules map the source to
 * @param verdicts the verdicts, failed or passed, in the order the gates are configured
 * @param promotable whether the visitor may promote from the source to the target
 */
public record PromotionCandidateView(RepositoryName source, String tag, Digest digest, RepositoryName target,
                                     List<GateOutcome> verdicts, boolean promotable) {
    public PromotionCandidateView {
        verdicts = List.copyOf(verdicts);
    }

    /** Whether every gate passes, so that promoting now would not be refused by a gate. */
    public boolean ready() {
        return verdicts.stream().allMatch(GateOutcome::passed);
    }

    /** {@code candidate/app:1.0}, as the promotion API and the command line take a source. */
    public String sourceReference() {
        return source.value() + ":" + tag;
    }

    /** {@code app:1.0}: the same tag in the target. */
    public String targetReference() {
        return target.value() + ":" + tag;
    }
}

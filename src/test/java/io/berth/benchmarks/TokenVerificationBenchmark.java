package io.berth.benchmarks;

import io.berth.oci.RepositoryGlob;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import io.berth.auth.AccessToken;
import io.berth.auth.Action;
import io.berth.auth.Policy;
import io.berth.auth.PolicyRule;
import io.berth.auth.Principal;

import io.berth.auth.Scope;
import io.berth.auth.TokenService;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What an authenticated request costs before it reaches the registry: verifying an ES256 bearer
 * token (signature, issuer, audience, expiry, access claim), and evaluating the policy.
 */
@State(org.openjdk.jmh.annotations.Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class TokenVerificationBenchmark {
    private TokenService tokens;
    private String token;
    private Policy policy;
    private final Principal robot = new Principal.Robot("osbs");

    @Setup
    public void issue() throws Exception {
        ECKey key = new ECKeyGenerator(Curve.P_256).keyIDFromThumbprint(true).generate();
        tokens = new TokenService(key, "berth", "berth", Duration.ofMinutes(5), Map.of(), Clock.systemUTC());
        token = tokens.issueAccess(robot, List.of(Scope.repository("candidate/fedora/toolbox",
                EnumSet.of(Action.PULL, Action.PUSH))), Instant.now());
        policy = new Policy(List.of(
                new PolicyRule(new RepositoryGlob("**"), Set.of(), Set.of(), Set.of(), true, true, EnumSet.of(Action.PULL)),
                new PolicyRule(new RepositoryGlob("**"), Set.of("admin"), Set.of(), Set.of(), false, false, EnumSet.of(Action.ADMIN)),
                new PolicyRule(new RepositoryGlob("candidate/**"), Set.of(), Set.of(), Set.of("osbs"), false, false,
                        EnumSet.of(Action.PULL, Action.PUSH)),
                new PolicyRule(new RepositoryGlob("candidate/**"), Set.of(), Set.of("releng"), Set.of(), false, false,
                        EnumSet.of(Action.PULL, Action.PROMOTE))));
    }

    @Benchmark
    public AccessToken verifyKnownToken() {
        return tokens.verify(token);
    }

    @Benchmark
    public Set<Action> evaluatePolicy() {
        return policy.permitted(robot, "candidate/fedora/toolbox");
    }
}

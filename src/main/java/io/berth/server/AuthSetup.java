package io.berth.server;

import io.berth.oci.RepositoryGlob;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import io.berth.auth.AccessController;
import io.berth.auth.Action;
import io.berth.auth.Authenticator;
import io.berth.auth.HtpasswdUsers;
import io.berth.auth.LoginThrottle;
import io.berth.auth.Policy;
import io.berth.auth.PolicyRule;

import io.berth.auth.RobotAccounts;
import io.berth.auth.PublishedKeys;
import io.berth.auth.SigningKeys;
import io.berth.auth.TokenService;
import io.berth.config.AuthConfig;
import io.berth.config.ConfigException;
import io.berth.http.RegistryHandler;
import io.berth.metadata.MetadataStore;
import io.berth.metadata.RobotRecord;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Turns the {@code auth} section of the configuration into the objects that enforce it. */
final class AuthSetup {
    /** Where the generated token signing key is kept, inside the data directory. */
    static final String GENERATED_KEY = "auth/token-signing-key.jwk.json";

    private AuthSetup() {
    }

    /**
     * @throws ConfigException when a file the section names cannot be read or holds what Berth refuses
     *                         (a non-bcrypt htpasswd line, a key that is not EC P-256, no usable trusted key)
     */
    static Assembled build(AuthConfig config, Path dataDir, MetadataStore metadata, Clock clock) {
        try {
            return assemble(config, dataDir, metadata, clock);
        } catch (IllegalArgumentException | UncheckedIOException e) {
            throw new ConfigException("auth: " + e.getMessage(), e);
        }
    }

    /**
     * What authentication needs while the server runs.
     *
     * @param settings  what the HTTP layer enforces
     * @param publisher keeps this node's public signing key published for the other nodes; close it with the server
     */
    record Assembled(RegistryHandler.AuthSettings settings, SigningKeyPublisher publisher) {
    }

    private static Assembled assemble(AuthConfig config, Path dataDir, MetadataStore metadata,
                                                         Clock clock) {
        Optional<HtpasswdUsers> users = Optional.ofNullable(config.htpasswd()).map(file -> new HtpasswdUsers(Path.of(file)));
        RobotAccounts robots = name -> metadata.read(session -> session.robots().robot(name))
                .filter(RobotRecord::active)
                .map(robot -> new RobotAccounts.ActiveRobot(robot.secretHash(), robot.credentialsSince()));
        Authenticator authenticator = new Authenticator(users, config.groups(), robots, clock);
        ECKey signingKey = config.signingKey() == null
                ? SigningKeys.loadOrCreate(dataDir.resolve(GENERATED_KEY))
                : SigningKeys.load(Path.of(config.signingKey()));
        Map<String, List<JWK>> trusted = new LinkedHashMap<>();
        for (AuthConfig.TrustedIssuerConfig issuer : config.trustedIssuers()) {
            List<JWK> keys = issuer.jwks() != null
                    ? SigningKeys.trustedKeys(Path.of(issuer.jwks()), true)
                    : SigningKeys.trustedKeys(Path.of(issuer.pem()), false);
            trusted.merge(issuer.issuer(), keys, (a, b) -> {
                List<JWK> all = new ArrayList<>(a);
                all.addAll(b);
                return all;
            });
        }
        PublishedKeys published = new PublishedKeys(
                since -> metadata.read(session -> session.signingKeys().publishedSigningKeys(since)), clock);
        TokenService tokens = new TokenService(signingKey, config.issuer(), config.service(),
                Duration.ofSeconds(config.tokenTtlSeconds()), trusted, published, clock);
        AccessController access = new AccessController(policy(config), authenticator, tokens, clock);
        SigningKeyPublisher publisher = SigningKeyPublisher.start(signingKey, metadata, clock);
        io.berth.audit.LoginAudit logins = new io.berth.audit.LoginAudit(metadata, new io.berth.audit.AuditTrail(clock), clock);
        return new Assembled(new RegistryHandler.AuthSettings(access, new LoginThrottle(clock), Optional.ofNullable(config.realm()),
                config.service(), Optional.of(logins)), publisher);
    }

    static Policy policy(AuthConfig config) {
        List<PolicyRule> rules = new ArrayList<>();
        for (AuthConfig.PolicyRuleConfig rule : config.policy()) {
            Set<Action> actions = EnumSet.noneOf(Action.class);
            for (String name : rule.actions()) {
                actions.add(Action.fromWireName(name).orElseThrow(() -> new ConfigException(
                        "auth.policy: unknown action '" + name + "' (use pull, push, delete, promote, admin)")));
            }
            rules.add(new PolicyRule(new RepositoryGlob(rule.repositories()), new HashSet<>(rule.users()),
                    new HashSet<>(rule.groups()), new HashSet<>(rule.robots()), rule.anonymous(), rule.authenticated(),
                    actions));
        }
        return new Policy(rules);
    }
}

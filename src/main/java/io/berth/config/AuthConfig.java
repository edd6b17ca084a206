package io.berth.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/**
 * Authentication and authorization (docs/security.md explains every key).
 *
 * @param service         the token audience and the {@code service} of the challenge
 * @param issuer          the {@code iss} of tokens Berth signs
 * @param realm           the token endpoint URL put in challenges; default: this server's {@code /auth/token}
 * @param tokenTtlSeconds lifetime of access tokens
 * @param signingKey      PEM EC P-256 private key for tokens; default: generated in the data directory
 * @param htpasswd        htpasswd file of users (bcrypt hashes only)
 * @param groups          group name → member user names
 * @param policy          ordered rules; the most specific repository pattern wins; deny by default
 * @param trustedIssuers  external token issuers whose tokens are accepted
 */
public record AuthConfig(
        @JsonProperty("service") String service,
        @JsonProperty("issuer") String issuer,
        @JsonProperty("realm") String realm,
        @JsonProperty("token-ttl-seconds") Integer tokenTtlSeconds,
        @JsonProperty("signing-key") String signingKey,
        @JsonProperty("htpasswd") String htpasswd,
        @JsonProperty("groups") Map<String, List<String>> groups,
        @JsonProperty("policy") List<PolicyRuleConfig> policy,
        @JsonProperty("trusted-issuers") List<TrustedIssuerConfig> trustedIssuers) {

    public static final String DEFAULT_SERVICE = "berth";
    public static final String DEFAULT_ISSUER = "berth";
    public static final int DEFAULT_TOKEN_TTL_SECONDS = 300;

    public AuthConfig {
        service = service == null ? DEFAULT_SERVICE : service;
        issuer = issuer == null ? DEFAULT_ISSUER : issuer;
        requireQuotable("auth.service", service);
        if (realm != null) {
            requireQuotable("auth.realm", realm);
        }
        tokenTtlSeconds = tokenTtlSeconds == null ? DEFAULT_TOKEN_TTL_SECONDS : tokenTtlSeconds;
        if (tokenTtlSeconds < 60) {
            throw new ConfigException("auth.token-ttl-seconds must be at least 60 (clients assume 60)");
        }
        groups = groups == null ? Map.of() : Map.copyOf(groups);
        policy = policy == null ? List.of() : List.copyOf(policy);
        trustedIssuers = trustedIssuers == null ? List.of() : List.copyOf(trustedIssuers);
    }

    /**
     * The service and the realm are quoted in every {@code WWW-Authenticate} challenge: a quote, a
     * backslash or a control character would end the quoted string (or the header) early.
     */
    private static void requireQuotable(String key, String value) {
        if (value.chars().anyMatch(c -> c == '"' || c == '\\' || c < 0x20 || c == 0x7f)) {
            throw new ConfigException(key + " may not contain quotes, backslashes or control characters");
        }
    }

    /**
     * One policy rule: who may do what on repositories matching a glob ({@code *} is one path
     * component, {@code **} any number).
     */
    public record PolicyRuleConfig(
            @JsonProperty("repositories") String repositories,
            @JsonProperty("users") List<String> users,
            @JsonProperty("groups") List<String> groups,
            @JsonProperty("robots") List<String> robots,
            @JsonProperty("anonymous") Boolean anonymous,
            @JsonProperty("authenticated") Boolean authenticated,
            @JsonProperty("actions") List<String> actions) {
        /** The wire names of {@code auth.Action}, which configuration does not import. */
        static final List<String> ACTIONS = List.of("pull", "push", "delete", "promote", "admin");

        public PolicyRuleConfig {
            if (repositories == null || repositories.isBlank()) {
                throw new ConfigException("every auth.policy rule needs repositories");
            }
            if (actions == null || actions.isEmpty()) {
                throw new ConfigException("auth.policy rule for " + repositories + " needs actions");
            }
            for (String action : actions) {
                if (!ACTIONS.contains(action)) {
                    throw ConfigException.atKey("actions", "unknown action '" + action + "' (use "
                            + String.join(", ", ACTIONS) + ")");
                }
            }
            users = users == null ? List.of() : List.copyOf(users);
            groups = groups == null ? List.of() : List.copyOf(groups);
            robots = robots == null ? List.of() : List.copyOf(robots);
            anonymous = anonymous != null && anonymous;
            authenticated = authenticated != null && authenticated;
            actions = List.copyOf(actions);
        }
    }

    /**
     * An external token service whose signed tokens Berth accepts.
     *
     * @param issuer the {@code iss} its tokens carry
     * @param jwks   a JWKS file of its public keys
     * @param pem    a PEM public key or certificate, instead of {@code jwks}
     */
    public record TrustedIssuerConfig(
            @JsonProperty("issuer") String issuer,
            @JsonProperty("jwks") String jwks,
            @JsonProperty("pem") String pem) {

        public TrustedIssuerConfig {
            if (issuer == null || issuer.isBlank()) {
                throw new ConfigException("every auth.trusted-issuers entry needs an issuer");
            }
            if ((jwks == null) == (pem == null)) {
                throw new ConfigException("trusted issuer " + issuer + " needs exactly one of jwks or pem");
            }
        }
    }
}

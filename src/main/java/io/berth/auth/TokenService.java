package io.berth.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.factories.DefaultJWSVerifierFactory;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Issues and verifies the JSON Web Tokens of Docker's token protocol ({@code specs/docker/jwt.md}):
 * ES256-signed, with {@code iss}, {@code sub}, {@code aud}, {@code exp}, {@code nbf}, {@code iat},
 * {@code jti} and an {@code access} claim listing the granted scopes. Tokens of configured external
 * issuers are verified with their public keys. Unsigned tokens ({@code alg: none}), unknown
 * issuers, other audiences and expired tokens are refused.
 */
public final class TokenService {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(TokenService.class);
    /** Tolerated clock difference between issuer and verifier. */
    private static final Duration CLOCK_SKEW = Duration.ofSeconds(30);
    /** Refresh tokens let a logged-in client get new access tokens for this long. */
    private static final Duration REFRESH_LIFETIME = Duration.ofDays(30);
    private static final String ACCESS_CLAIM = "access";
    private static final String TOKEN_USE_CLAIM = "token_use";
    /** In a robot's token: when the secret it proved was issued, in epoch milliseconds. */
    private static final String ROBOT_CREDENTIALS_CLAIM = "berth_credentials";
    private static final Set<JWSAlgorithm> ACCEPTED = Set.of(JWSAlgorithm.ES256, JWSAlgorithm.ES384, JWSAlgorithm.RS256,
            JWSAlgorithm.RS384, JWSAlgorithm.RS512, JWSAlgorithm.PS256);

    private static final Set<JWSAlgorithm> KNOWN = java.util.stream.Stream.concat(JWSAlgorithm.Family.SIGNATURE.stream(),
            JWSAlgorithm.Family.HMAC_SHA.stream()).collect(java.util.stream.Collectors.toUnmodifiableSet());

    private final ECKey signingKey;
    private final String issuer;
    private final String audience;
    private final Duration lifetime;
    private final Map<String, List<JWK>> trustedKeys;
    private final PublishedKeys publishedKeys;
    private final Clock clock;
    /** When an unknown key of this issuer was last logged; at most one line a minute. */
    private final java.util.concurrent.atomic.AtomicReference<Instant> unknownKeyLoggedAt =
            new java.util.concurrent.atomic.AtomicReference<>(Instant.MIN);
    /**
     * Tokens already verified, until they expire: a client sends the same token with every request,
     * and checking an ES256 signature costs far more than the rest of a pull.
     */
    private final Map<String, AccessToken> verified = new java.util.concurrent.ConcurrentHashMap<>();
    private static final int VERIFIED_MAX = 10_000;

    /**
     * @param trustedKeys public keys of external issuers, by issuer; Berth's own key is always trusted
     */
    public TokenService(ECKey signingKey, String issuer, String audience, Duration lifetime,
                        Map<String, List<JWK>> trustedKeys, Clock clock) {
        this(signingKey, issuer, audience, lifetime, trustedKeys, PublishedKeys.NONE, clock);
    }

    /**
     * @param trustedKeys   public keys of external issuers, by issuer; Berth's own key is always trusted
     * @param publishedKeys the keys other nodes sharing the metadata database sign this issuer's tokens with
     */
    public TokenService(ECKey signingKey, String issuer, String audience, Duration lifetime,
                        Map<String, List<JWK>> trustedKeys, PublishedKeys publishedKeys, Clock clock) {
        this.publishedKeys = publishedKeys;
        this.signingKey = signingKey;
        this.issuer = issuer;
        this.audience = audience;
        this.lifetime = lifetime;
        Map<String, List<JWK>> keys = new LinkedHashMap<>(trustedKeys);
        keys.merge(issuer, List.of(signingKey.toPublicJWK()), (external, own) -> {
            List<JWK> all = new ArrayList<>(own);
            all.addAll(external);
            return all;
        });
        this.trustedKeys = Map.copyOf(keys);
        this.clock = clock;
    }

    public Duration lifetime() {
        return lifetime;
    }

    /** The {@code iss} of the tokens this service signs. */
    public String issuer() {
        return issuer;
    }

    /** An access token for {@code principal} granting exactly {@code scopes}. */
    public String issueAccess(Principal principal, List<Scope> scopes, Instant issuedAt) {
        List<Map<String, Object>> access = new ArrayList<>();
        for (Scope scope : scopes) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("type", scope.type());
            entry.put("name", scope.name());
            entry.put("actions", scope.actions().stream().map(Action::wireName).toList());
            access.add(entry);
        }
        return sign(claims(principal, issuedAt, issuedAt.plus(lifetime)).claim(ACCESS_CLAIM, access).build());
    }

    /** A refresh token: proves who {@code principal} is, grants nothing by itself. */
    public String issueRefresh(Principal principal, Instant issuedAt) {
        return issueRefresh(principal, issuedAt, REFRESH_LIFETIME);
    }

    /**
     * A refresh token valid for {@code lifetime} rather than the usual 30 days: what the web
     * interface's session cookie holds.
     */
    public String issueRefresh(Principal principal, Instant issuedAt, Duration lifetime) {
        return sign(claims(principal, issuedAt, issuedAt.plus(lifetime)).claim(TOKEN_USE_CLAIM, "refresh").build());
    }

    private JWTClaimsSet.Builder claims(Principal principal, Instant issuedAt, Instant expires) {
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
                .issuer(issuer)
                .subject(principal.subject())
                .audience(audience)
                .issueTime(Date.from(issuedAt))
                .notBeforeTime(Date.from(issuedAt))
                .expirationTime(Date.from(expires))
                .jwtID(UUID.randomUUID().toString());
        if (principal instanceof Principal.Robot robot && robot.credentialsSince().isPresent()) {
            claims.claim(ROBOT_CREDENTIALS_CLAIM, robot.credentialsSince().get().toEpochMilli());
        }
        return claims;
    }

    private String sign(JWTClaimsSet claims) {
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).type(JOSEObjectType.JWT)
                    .keyID(signingKey.getKeyID()).build(), claims);
            jwt.sign(new ECDSASigner(signingKey));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign a token", e);
        }
    }

    /**
     * Verifies a token's signature, issuer, audience and validity period.
     *
     * @throws InvalidTokenException when any check fails
     */
    public AccessToken verify(String token) {
        AccessToken known = verified.get(token);
        if (known != null) {
            if (known.expires().plus(CLOCK_SKEW).isAfter(clock.instant())) {
                return known;
            }
            verified.remove(token);
        }
        AccessToken checked = verifyUncached(token);
        if (verified.size() >= VERIFIED_MAX) {
            verified.clear();
        }
        verified.put(token, checked);
        return checked;
    }

    private AccessToken verifyUncached(String token) {
        SignedJWT jwt;
        JWTClaimsSet claims;
        try {
            jwt = SignedJWT.parse(token);
            claims = jwt.getJWTClaimsSet();
        } catch (ParseException e) {
            throw new InvalidTokenException("malformed token", e);
        }
        JWSAlgorithm algorithm = jwt.getHeader().getAlgorithm();
        if (!ACCEPTED.contains(algorithm)) {
            // Named only when it is one Berth knows: the header is part of the credential.
            throw new InvalidTokenException("token algorithm " + (KNOWN.contains(algorithm) ? algorithm : "(unknown)")
                    + " is not accepted");
        }
        String tokenIssuer = claims.getIssuer();
        List<JWK> keys = tokenIssuer == null ? null : trustedKeys.get(tokenIssuer);
        if (keys == null) {
            throw new InvalidTokenException("token issuer is not trusted");
        }
        if (!verifiedByAny(jwt, keys) && !verifiedByAnotherNode(jwt, tokenIssuer)) {
            throw new InvalidTokenException("token signature does not verify");
        }
        if (claims.getAudience() == null || !claims.getAudience().contains(audience)) {
            throw new InvalidTokenException("token is for another service");
        }
        Instant now = clock.instant();
        Date expires = claims.getExpirationTime();
        if (expires == null || expires.toInstant().plus(CLOCK_SKEW).isBefore(now)) {
            throw new InvalidTokenException("token has expired");
        }
        Date notBefore = claims.getNotBeforeTime();
        if (notBefore != null && notBefore.toInstant().minus(CLOCK_SKEW).isAfter(now)) {
            throw new InvalidTokenException("token is not valid yet");
        }
        boolean refresh = "refresh".equals(claims.getClaim(TOKEN_USE_CLAIM));
        String subject = claims.getSubject() == null ? "" : claims.getSubject();
        return new AccessToken(tokenIssuer, subject, refresh ? List.of() : access(claims), expires.toInstant(), refresh,
                robotCredentials(claims));
    }

    private static Optional<Instant> robotCredentials(JWTClaimsSet claims) {
        try {
            return Optional.ofNullable(claims.getLongClaim(ROBOT_CREDENTIALS_CLAIM)).map(Instant::ofEpochMilli);
        } catch (ParseException e) {
            throw new InvalidTokenException("malformed token", e);
        }
    }

    /**
     * Whether another node sharing the metadata database signed this token of Berth's own issuer.
     * A token whose key no node has published is logged (at most once a minute): it is what nodes
     * that each generated a key of their own, and share no database, produce.
     */
    private boolean verifiedByAnotherNode(SignedJWT jwt, String tokenIssuer) {
        String keyId = jwt.getHeader().getKeyID();
        if (!issuer.equals(tokenIssuer) || keyId == null || keyId.equals(signingKey.getKeyID())) {
            return false;
        }
        java.util.Optional<JWK> key = publishedKeys.find(keyId);
        if (key.isEmpty()) {
            Instant now = clock.instant();
            Instant last = unknownKeyLoggedAt.get();
            if (last.plus(Duration.ofMinutes(1)).isBefore(now) && unknownKeyLoggedAt.compareAndSet(last, now)) {
                LOG.warn("refused a token of issuer {} signed with key {}, which neither this node (key {}) nor any node"
                        + " sharing its database signs with; nodes behind one balancer need one metadata database or the"
                        + " same auth.signing-key (docs/scale-out.md)", issuer, printable(keyId), signingKey.getKeyID());
            }
            return false;
        }
        return verifiedByAny(jwt, List.of(key.get()));
    }

    /** A key id as the log may show it: a thumbprint's characters only, since the header is the caller's. */
    private static String printable(String keyId) {
        return keyId.matches("[A-Za-z0-9_-]{1,64}") ? keyId : "(malformed key id)";
    }

    private static boolean verifiedByAny(SignedJWT jwt, List<JWK> keys) {
        String keyId = jwt.getHeader().getKeyID();
        DefaultJWSVerifierFactory factory = new DefaultJWSVerifierFactory();
        for (JWK key : keys) {
            if (keyId != null && key.getKeyID() != null && !keyId.equals(key.getKeyID())) {
                continue;
            }
            try {
                JWSVerifier verifier = switch (key) {
                    case ECKey ec -> factory.createJWSVerifier(jwt.getHeader(), ec.toECPublicKey());
                    case com.nimbusds.jose.jwk.RSAKey rsa -> factory.createJWSVerifier(jwt.getHeader(), rsa.toRSAPublicKey());
                    default -> null;
                };
                if (verifier != null && jwt.verify(verifier)) {
                    return true;
                }
            } catch (JOSEException e) {
                // This key does not fit the token's algorithm; try the next one.
            }
        }
        return false;
    }

    private static List<Scope> access(JWTClaimsSet claims) {
        Object raw = claims.getClaim(ACCESS_CLAIM);
        List<Scope> scopes = new ArrayList<>();
        if (!(raw instanceof List<?> entries)) {
            return scopes;
        }
        for (Object entry : entries) {
            if (entry instanceof Map<?, ?> map && map.get("type") instanceof String type
                    && map.get("name") instanceof String name && map.get("actions") instanceof List<?> actions) {
                Set<Action> parsed = EnumSet.noneOf(Action.class);
                for (Object action : actions) {
                    if ("*".equals(action)) {
                        parsed.addAll(EnumSet.allOf(Action.class));
                    } else if (action instanceof String text) {
                        Action.fromWireName(text).ifPresent(parsed::add);
                    }
                }
                scopes.add(new Scope(type, name, parsed));
            }
        }
        return scopes;
    }
}

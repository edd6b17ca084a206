package io.berth.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.List;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.jcajce.provider.asymmetric.util.EC5Util;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

/** Loads, or generates on first start, the EC P-256 key that signs Berth's tokens; reads trusted public keys. */
public final class SigningKeys {
    private SigningKeys() {
    }

    /**
     * The key in {@code file} (a private JWK); when the file does not exist, a new EC P-256 key is
     * generated and written there, readable by the owner only.
     */
    public static ECKey loadOrCreate(Path file) {
        try {
            if (!Files.exists(file)) {
                createOwnerOnlyDirectories(file.toAbsolutePath().getParent());
                ECKey generated = new ECKeyGenerator(Curve.P_256).keyIDFromThumbprint(true).generate();
                try {
                    // Created owner-only from the start: the private key is never readable by others.
                    Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                } catch (UnsupportedOperationException e) {
                    Files.createFile(file);
                }
                Files.writeString(file, generated.toJSONString(), StandardCharsets.US_ASCII, StandardOpenOption.TRUNCATE_EXISTING);
            }
            return ECKey.parse(Files.readString(file, StandardCharsets.US_ASCII));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or write the token signing key " + file, e);
        } catch (JOSEException | ParseException e) {
            throw new IllegalArgumentException(file + " is not an EC private JWK", e);
        }
    }

    /** The key's folder and its missing parents, {@code rwx------} where the filesystem has POSIX permissions. */
    private static void createOwnerOnlyDirectories(Path directory) throws IOException {
        try {
            Files.createDirectories(directory, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (UnsupportedOperationException e) {
            Files.createDirectories(directory);
        }
    }

    /** An EC P-256 private key from a PEM file (SEC1 or PKCS#8), with its thumbprint as key id. */
    public static ECKey load(Path file) {
        try (PEMParser parser = new PEMParser(Files.newBufferedReader(file, StandardCharsets.US_ASCII))) {
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
            Object object = parser.readObject();
            PrivateKey privateKey = switch (object) {
                case PEMKeyPair pair -> converter.getPrivateKey(pair.getPrivateKeyInfo());
                case PrivateKeyInfo info -> converter.getPrivateKey(info);
                case null, default -> throw new IllegalArgumentException(file + " holds no private key");
            };
            if (!(privateKey instanceof ECPrivateKey ec) || !Curve.P_256.equals(Curve.forECParameterSpec(ec.getParams()))) {
                throw new IllegalArgumentException(file + " must hold an EC P-256 private key");
            }
            return new ECKey.Builder(Curve.P_256, publicKeyOf(ec)).privateKey(ec).keyIDFromThumbprint().build();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the token signing key " + file, e);
        } catch (JOSEException | GeneralSecurityException e) {
            throw new IllegalArgumentException(file + " is not a usable EC private key", e);
        }
    }

    /** Q = d·G: the public half of an EC private key. */
    private static ECPublicKey publicKeyOf(ECPrivateKey privateKey) throws GeneralSecurityException {
        org.bouncycastle.jce.spec.ECParameterSpec curve = EC5Util.convertSpec(privateKey.getParams());
        org.bouncycastle.math.ec.ECPoint q = curve.getG().multiply(privateKey.getS()).normalize();
        ECPoint point = new ECPoint(q.getAffineXCoord().toBigInteger(), q.getAffineYCoord().toBigInteger());
        return (ECPublicKey) KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(point, privateKey.getParams()));
    }

    /** Public keys of an external issuer, from a JWKS file or a PEM public key or certificate. */
    public static List<JWK> trustedKeys(Path file, boolean jwks) {
        try {
            String text = Files.readString(file, StandardCharsets.US_ASCII);
            if (jwks) {
                List<JWK> keys = new ArrayList<>();
                for (JWK key : JWKSet.parse(text).getKeys()) {
                    keys.add(key.toPublicJWK());
                }
                return keys;
            }
            return List.of(JWK.parseFromPEMEncodedObjects(text).toPublicJWK());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read trusted keys " + file, e);
        } catch (ParseException | JOSEException e) {
            throw new IllegalArgumentException(file + " holds no usable public key", e);
        }
    }
}

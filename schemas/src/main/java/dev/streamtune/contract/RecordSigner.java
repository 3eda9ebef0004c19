package dev.streamtune.contract;

import java.security.GeneralSecurityException;
import java.security.Signature;

import org.apache.avro.specific.SpecificRecord;

/** Signs the control records one service publishes, with that service's {@link SigningKey}. */
public final class RecordSigner {

    private final SigningKey key;

    public RecordSigner(SigningKey key) {
        this.key = key;
    }

    public SigningKey key() {
        return key;
    }

    /**
     * A copy of {@code record} carrying this key's id and its signature.
     *
     * @throws IllegalArgumentException when this signer's role does not sign records of that type
     */
    public <T extends SpecificRecord> T sign(T record) {
        SignerRole required = SignerRole.requiredFor(record.getClass()).orElseThrow(() ->
                new IllegalArgumentException(record.getClass().getSimpleName() + " records are not signed"));
        if (required != key.role()) {
            throw new IllegalArgumentException("A " + key.role().label() + " key cannot sign a "
                    + record.getClass().getSimpleName() + " (only the " + required.label() + " does)");
        }
        T withKeyId = SignedContent.withSignature(record, key.keyId(), null);
        try {
            Signature signature = Signature.getInstance(SigningKey.ALGORITHM);
            signature.initSign(key.privateKey());
            signature.update(SignedContent.of(withKeyId));
            return SignedContent.withSignature(record, key.keyId(), signature.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Cannot sign with " + key, e);
        }
    }
}

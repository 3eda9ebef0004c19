package dev.streamtune.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.streamtune.contract.RecordVerifier.Rejection;
import dev.streamtune.schema.AdapterCandidate;
import dev.streamtune.schema.Deployment;
import dev.streamtune.schema.LabelBias;
import dev.streamtune.schema.PromotionDecision;
import org.junit.jupiter.api.Test;

class RecordVerifierTest {

    private final SigningKey.Generated evaluator = SigningKey.generate(SignerRole.EVALUATOR, "evaluator-1");
    private final SigningKey.Generated trainer = SigningKey.generate(SignerRole.TRAINER, "trainer-1");
    private final List<String> counted = new ArrayList<>();
    private final RecordVerifier verifier = new RecordVerifier(
            TrustedKeys.of(List.of(evaluator.trustedKey(), trainer.trustedKey())),
            (topic, reason) -> counted.add(topic + ":" + reason.tag()));

    @Test
    void aSignedRecordVerifiesAfterTravellingThroughTheCodec() {
        Deployment signed = new RecordSigner(evaluator.signingKey()).sign(SampleRecords.deployment());
        Deployment received = AvroCodec.of(Deployment.class).decode(AvroCodec.of(Deployment.class).encode(signed));

        assertEquals(Optional.empty(), verifier.check(received));
        assertEquals("evaluator-1", received.getSigningKeyId());
        assertEquals(64, received.getSignature().remaining(), "an Ed25519 signature");
    }

    @Test
    void mapOrderDoesNotChangeWhatIsSigned() {
        AdapterCandidate candidate = SampleRecords.adapterCandidate();
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("z", 1.0);
        metrics.put("a", 2.0);
        candidate.setValidationMetrics(metrics);
        AdapterCandidate signed = new RecordSigner(trainer.signingKey()).sign(candidate);

        Map<String, Double> reordered = new HashMap<>();
        reordered.put("a", 2.0);
        reordered.put("z", 1.0);
        AdapterCandidate received = AdapterCandidate.newBuilder(signed).setValidationMetrics(reordered).build();
        assertEquals(Optional.empty(), verifier.check(received));
    }

    @Test
    void changingAnySignedFieldBreaksTheSignature() {
        Deployment signed = new RecordSigner(evaluator.signingKey()).sign(SampleRecords.deployment());

        assertEquals(Optional.of(Rejection.BAD_SIGNATURE), verifier.check(
                Deployment.newBuilder(signed).setArtifactUri("file:///etc/shadow").build()));
        assertEquals(Optional.of(Rejection.BAD_SIGNATURE), verifier.check(
                Deployment.newBuilder(signed).setArtifactSha256("0".repeat(64)).build()));
        assertEquals(Optional.of(Rejection.BAD_SIGNATURE), verifier.check(
                Deployment.newBuilder(signed).setAdapterId("other").build()));
        assertEquals(Optional.of(Rejection.BAD_SIGNATURE), verifier.check(
                Deployment.newBuilder(signed).setPinned(!signed.getPinned()).build()));
    }

    @Test
    void aDecisionsVerdictCannotBeFlipped() {
        PromotionDecision signed = new RecordSigner(evaluator.signingKey()).sign(SampleRecords.promotionDecision());
        assertEquals(Optional.empty(), verifier.check(signed));
        PromotionDecision flipped = PromotionDecision.newBuilder(signed)
                .setVerdict(signed.getVerdict() == dev.streamtune.schema.Verdict.REJECTED
                        ? dev.streamtune.schema.Verdict.APPROVED : dev.streamtune.schema.Verdict.REJECTED).build();
        assertEquals(Optional.of(Rejection.BAD_SIGNATURE), verifier.check(flipped));
    }

    @Test
    void unsignedRecordsOfSignedTypesAreRejectedOthersPass() {
        assertEquals(Optional.of(Rejection.NOT_SIGNED), verifier.check(SampleRecords.deployment()));
        assertEquals(Optional.of(Rejection.NOT_SIGNED), verifier.check(SampleRecords.adapterCandidate()));
        assertEquals(Optional.empty(), verifier.check(SampleRecords.labelledExample()),
                "input records are not signed");
    }

    @Test
    void aKeyNobodyTrustsIsRejectedEvenWithItsOwnIdCopied() {
        SigningKey.Generated stranger = SigningKey.generate(SignerRole.EVALUATOR, "evaluator-1"); // same id, other key
        Deployment forged = new RecordSigner(stranger.signingKey()).sign(SampleRecords.deployment());
        assertEquals(Optional.of(Rejection.BAD_SIGNATURE), verifier.check(forged));

        SigningKey.Generated unknown = SigningKey.generate(SignerRole.EVALUATOR, "evaluator-x");
        assertEquals(Optional.of(Rejection.UNKNOWN_KEY),
                verifier.check(new RecordSigner(unknown.signingKey()).sign(SampleRecords.deployment())));
    }

    @Test
    void aTrainerKeyCannotSignADeployment() {
        assertThrows(IllegalArgumentException.class,
                () -> new RecordSigner(trainer.signingKey()).sign(SampleRecords.deployment()));
        // Signed anyway, by hand, with the trainer's key under the trainer's id:
        Deployment byTrainer = SignedContent.withSignature(SampleRecords.deployment(), "trainer-1", null);
        byte[] signature = sign(trainer.signingKey(), SignedContent.of(byTrainer));
        assertEquals(Optional.of(Rejection.WRONG_SIGNER),
                verifier.check(SignedContent.withSignature(byTrainer, "trainer-1", signature)));
    }

    @Test
    void rotationTrustsCurrentAndPreviousKeysUntilTheOldOneIsDropped() {
        SigningKey.Generated next = SigningKey.generate(SignerRole.EVALUATOR, "evaluator-2");
        Deployment old = new RecordSigner(evaluator.signingKey()).sign(SampleRecords.deployment());
        Deployment fresh = new RecordSigner(next.signingKey()).sign(SampleRecords.deployment());

        RecordVerifier during = new RecordVerifier(TrustedKeys.of(List.of(evaluator.trustedKey(), next.trustedKey())),
                RecordVerifier.Rejections.NONE);
        assertEquals(Optional.empty(), during.check(old));
        assertEquals(Optional.empty(), during.check(fresh));

        RecordVerifier after = new RecordVerifier(TrustedKeys.of(List.of(next.trustedKey())),
                RecordVerifier.Rejections.NONE);
        assertEquals(Optional.of(Rejection.UNKNOWN_KEY), after.check(old));
        assertEquals(Optional.empty(), after.check(fresh));
    }

    @Test
    void admitsCountsEachRejectionByTopicAndReason() {
        assertFalse(verifier.admits("deployments", SampleRecords.deployment(), "deployments-0@7"));
        assertTrue(verifier.admits("deployments",
                new RecordSigner(evaluator.signingKey()).sign(SampleRecords.deployment()), "deployments-0@8"));
        assertTrue(verifier.admits("examples.labelled", SampleRecords.labelledExample(), "examples.labelled-0@1"));
        assertEquals(List.of("deployments:not_signed"), counted);
    }

    @Test
    void aCorruptSignatureIsABadSignatureNotACrash() {
        Deployment signed = new RecordSigner(evaluator.signingKey()).sign(SampleRecords.deployment());
        Deployment truncated = Deployment.newBuilder(signed)
                .setSignature(java.nio.ByteBuffer.wrap(new byte[] {1, 2, 3})).build();
        assertEquals(Optional.of(Rejection.BAD_SIGNATURE), verifier.check(truncated));
    }

    @Test
    void aDecisionSignedBeforeItsSchemaGainedFieldsStillVerifies() throws Exception {
        Map<String, String> fixture = fixture("signed/promotion-decision-signed-before-signed-when-set.txt");
        RecordVerifier replaying = new RecordVerifier(TrustedKeys.of(List.of(TrustedKey.parse(fixture.get("trusted")))),
                RecordVerifier.Rejections.NONE);

        PromotionDecision old = AvroCodec.of(PromotionDecision.class)
                .decode(java.util.Base64.getDecoder().decode(fixture.get("record")));

        assertEquals(SampleRecords.promotionDecision().getReport(), old.getReport());
        assertEquals(Optional.empty(), replaying.check(old), "the evaluator replays it at start");
        assertEquals(Optional.of(Rejection.BAD_SIGNATURE), replaying.check(
                PromotionDecision.newBuilder(old).setVerdict(dev.streamtune.schema.Verdict.REJECTED).build()));
    }

    @Test
    void aDecisionWithAPerLabelBreakdownVerifiesAndEveryValueOfItIsCovered() {
        PromotionDecision signed = new RecordSigner(evaluator.signingKey()).sign(withPerLabelBias());
        AvroCodec<PromotionDecision> codec = AvroCodec.of(PromotionDecision.class);
        PromotionDecision received = codec.decode(codec.encode(signed));
        assertEquals(signed, received);
        assertEquals(Optional.empty(), verifier.check(received));

        PromotionDecision widened = PromotionDecision.newBuilder(received).build();
        widened.getReport().getCandidate().getBias().get(0).getPerLabel().get(1).setEqualizedOddsDifference(0.40);
        assertEquals(Optional.of(Rejection.BAD_SIGNATURE), verifier.check(widened));

        PromotionDecision cleared = PromotionDecision.newBuilder(received).build();
        cleared.getReport().getChampion().getBias().get(0).setPerLabel(List.of());
        assertEquals(Optional.of(Rejection.BAD_SIGNATURE), verifier.check(cleared), "as if never measured");

        PromotionDecision swapped = PromotionDecision.newBuilder(received).build();
        List<LabelBias> candidate = swapped.getReport().getCandidate().getBias().get(0).getPerLabel();
        swapped.getReport().getCandidate().getBias().get(0).setPerLabel(
                swapped.getReport().getChampion().getBias().get(0).getPerLabel());
        swapped.getReport().getChampion().getBias().get(0).setPerLabel(candidate);
        assertEquals(Optional.of(Rejection.BAD_SIGNATURE), verifier.check(swapped), "candidate's and champion's");
    }

    /** The sample decision with a per-label breakdown of candidate's and champion's gaps. */
    private static PromotionDecision withPerLabelBias() {
        PromotionDecision decision = SampleRecords.promotionDecision();
        decision.getReport().getCandidate().getBias().get(0).setPerLabel(List.of(
                new LabelBias("negative", 0.02, 0.03, 0.01), new LabelBias("positive", 0.03, 0.04, 0.01)));
        decision.getReport().getChampion().getBias().get(0).setPerLabel(List.of(
                new LabelBias("negative", 0.01, 0.02, 0.01), new LabelBias("positive", 0.03, 0.04, 0.01)));
        return decision;
    }

    /** A fixture file's {@code <name> <value>} lines ({@code #} comments), by name. */
    private static Map<String, String> fixture(String resource) throws java.io.IOException {
        try (var in = RecordVerifierTest.class.getClassLoader().getResourceAsStream(resource)) {
            Map<String, String> values = new HashMap<>();
            new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).lines()
                    .filter(line -> !line.isBlank() && !line.startsWith("#"))
                    .forEach(line -> values.put(line.substring(0, line.indexOf(' ')),
                            line.substring(line.indexOf(' ') + 1)));
            return values;
        }
    }

    private static byte[] sign(SigningKey key, byte[] content) {
        try {
            java.security.Signature signature = java.security.Signature.getInstance(SigningKey.ALGORITHM);
            signature.initSign(key.privateKey());
            signature.update(content);
            return signature.sign();
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

}

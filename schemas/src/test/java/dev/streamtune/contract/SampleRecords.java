package dev.streamtune.contract;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import dev.streamtune.schema.AdapterCandidate;
import dev.streamtune.schema.BiasMetrics;
import dev.streamtune.schema.ClassMetrics;
import dev.streamtune.schema.ClassificationMetrics;
import dev.streamtune.schema.CleanExample;
import dev.streamtune.schema.AnnotationRequest;
import dev.streamtune.schema.Deployment;
import dev.streamtune.schema.RolloutStage;
import dev.streamtune.schema.RolloutTrial;
import dev.streamtune.schema.ServingRole;
import dev.streamtune.schema.DriftReport;
import dev.streamtune.schema.EvaluationReport;
import dev.streamtune.schema.ExampleOrigin;
import dev.streamtune.schema.FeedbackEvent;
import dev.streamtune.schema.LabelScope;
import dev.streamtune.schema.LabelledExample;
import dev.streamtune.schema.ModelScores;
import dev.streamtune.schema.PredictionLog;
import dev.streamtune.schema.PromotionDecision;
import dev.streamtune.schema.RejectedRecord;
import dev.streamtune.schema.RetrainRequest;
import dev.streamtune.schema.SliceMetrics;
import dev.streamtune.schema.Split;
import dev.streamtune.schema.TaskDefinition;
import dev.streamtune.schema.TrainingWindow;
import dev.streamtune.schema.Verdict;
import dev.streamtune.schema.WindowCloseReason;
import org.apache.avro.specific.SpecificRecord;

/** One fully populated record of every catalogue type, with every optional field set. */
public final class SampleRecords {

    public static final Instant T0 = Instant.parse("2026-11-24T10:15:30.123Z");

    private SampleRecords() {
    }

    public static Map<Class<? extends SpecificRecord>, SpecificRecord> all() {
        return Map.ofEntries(
                Map.entry(TaskDefinition.class, taskDefinition()),
                Map.entry(LabelledExample.class, labelledExample()),
                Map.entry(FeedbackEvent.class, feedbackEvent()),
                Map.entry(CleanExample.class, cleanExample()),
                Map.entry(RejectedRecord.class, rejectedRecord()),
                Map.entry(TrainingWindow.class, trainingWindow()),
                Map.entry(AdapterCandidate.class, adapterCandidate()),
                Map.entry(PromotionDecision.class, promotionDecision()),
                Map.entry(Deployment.class, deployment()),
                Map.entry(DriftReport.class, driftReport()),
                Map.entry(RetrainRequest.class, retrainRequest()),
                Map.entry(PredictionLog.class, predictionLog()),
                Map.entry(AnnotationRequest.class, annotationRequest()));
    }

    public static TaskDefinition taskDefinition() {
        return TaskCatalogue.newTask("sentiment", java.util.List.of("negative", "positive"), "bootstrap", T0);
    }

    public static LabelledExample labelledExample() {
        return LabelledExample.newBuilder().setId("ex-1").setTask("sentiment").setText("Great café, lovely staff ☕")
                .setLabel("positive").setSource("annotators").setEventTime(T0)
                .setAttributes(Map.of("locale", "en-GB", "channel", "mobile")).setWeight(2.0).build();
    }

    public static FeedbackEvent feedbackEvent() {
        return FeedbackEvent.newBuilder().setRequestId("req-9").setTask("sentiment").setModelVersion("adapter-3")
                .setText("not bad at all").setPredictedLabel("negative").setCorrectedLabel("positive").setRating(2)
                .setEventTime(T0).setAttributes(Map.of("locale", "fr-FR")).build();
    }

    public static CleanExample cleanExample() {
        return CleanExample.newBuilder().setId("ex-1").setTask("sentiment").setText("great cafe, lovely staff")
                .setLabel("positive").setSource("annotators").setOrigin(ExampleOrigin.FEEDBACK).setEventTime(T0)
                .setAttributes(Map.of("locale", "en-GB")).setWeight(1.5).setSplit(Split.VALIDATION)
                .setContentHash("ab12").setWindowId("sentiment-000007").build();
    }

    public static RejectedRecord rejectedRecord() {
        return RejectedRecord.newBuilder().setOriginalKey(java.nio.ByteBuffer.wrap(new byte[] {1, 2}))
                .setOriginalValue(java.nio.ByteBuffer.wrap(new byte[] {(byte) 0xff, 0, 7}))
                .setReasonCode("MALFORMED").setReason("not JSON nor Avro").setSourceTopic("examples.labelled")
                .setSourcePartition(2).setSourceOffset(41L).setRejectedAt(T0).build();
    }

    public static TrainingWindow trainingWindow() {
        return TrainingWindow.newBuilder().setWindowId("sentiment-000007").setTask("sentiment").setSequence(7)
                .setStart(T0).setEnd(T0.plusSeconds(60)).setClosedAt(T0.plusSeconds(61))
                .setCloseReason(WindowCloseReason.COUNT).setTrainCount(70).setValidationCount(15).setTestCount(15)
                .setLabelHistogram(Map.of("positive", 60L, "negative", 40L))
                .setSliceHistogram(Map.of("locale", Map.of("en-GB", 80L, "fr-FR", 20L)))
                .setImbalanceRatio(1.5).setLengthHistogram(List.of(10L, 80L, 10L))
                .setLengthBucketBounds(List.of(8, 32)).setMeanLength(17.5)
                .setTopTokens(Map.of("great", 12L, "staff", 9L)).build();
    }

    public static AdapterCandidate adapterCandidate() {
        return AdapterCandidate.newBuilder().setCandidateId("cand-4").setTask("sentiment")
                .setBaseModelId("all-MiniLM-L6-v2").setBaseModelChecksum("c0ffee").setParentAdapterId("adapter-3")
                .setWindowIds(List.of("sentiment-000006", "sentiment-000007")).setArtifactUri("file:///data/a.adapter")
                .setArtifactSha256("beef").setCreatedAt(T0).setHyperparameters(Map.of("lr", "3e-4", "rank", "8"))
                .setValidationMetrics(Map.of("accuracy", 0.91, "loss", 0.27))
                .setLineage(List.of("parent adapter-3", "trial 2 of 6 won")).build();
    }

    public static ModelScores modelScores(double accuracy) {
        ClassificationMetrics metrics = ClassificationMetrics.newBuilder().setExamples(200).setAccuracy(accuracy)
                .setMacroF1(accuracy - 0.02).setExpectedCalibrationError(0.04)
                .setPerClass(Map.of("positive", new ClassMetrics(0.9, 0.8, 0.85, 120L))).build();
        return ModelScores.newBuilder().setTest(metrics).setRetention(metrics)
                .setSlices(List.of(new SliceMetrics("locale", "en-GB", 150L, 0.9, 0.6, 0.85, 0.1)))
                .setBias(List.of(new BiasMetrics("locale", 0.05, 0.03, 0.04, null, null, List.of()))).build();
    }

    public static PromotionDecision promotionDecision() {
        EvaluationReport report = EvaluationReport.newBuilder().setCandidateId("cand-4").setChampionId("adapter-3")
                .setTask("sentiment").setWindowId("sentiment-000007").setEvaluatedAt(T0)
                .setCandidate(modelScores(0.91)).setChampion(modelScores(0.88)).setBackwardTransfer(-0.01)
                .setCanaryDisagreement(0.04)
                .setLabelScope(LabelScope.newBuilder().setChampionLabels(List.of("positive", "negative"))
                        .setChampionLabelsSource("adapter").setCandidateLabels(List.of("positive", "negative", "mixed"))
                        .setCandidateLabelsSource("adapter").setNewLabels(List.of("mixed"))
                        .setNewLabelMetrics(modelScores(0.8).getTest()).setMajorityBaseline(0.6)
                        .setUnjudgedLabels(List.of("sarcastic")).setSharedCandidate(modelScores(0.9))
                        .setSharedChampion(modelScores(0.88)).build())
                .build();
        return PromotionDecision.newBuilder().setDecisionId("dec-1").setCandidateId("cand-4").setTask("sentiment")
                .setVerdict(Verdict.APPROVED).setReasons(List.of("accuracy +0.03", "retention -0.01 within 0.02"))
                .setDecidedBy("gate").setDecidedAt(T0).setReport(report).build();
    }

    public static Deployment deployment() {
        return Deployment.newBuilder().setTask("sentiment").setAdapterId("cand-4").setArtifactUri("file:///a")
                .setArtifactSha256("beef").setBaseModelId("all-MiniLM-L6-v2").setDecisionId("dec-1")
                .setPreviousAdapterId("adapter-3").setDeployedAt(T0).setPinned(true)
                .setTrial(RolloutTrial.newBuilder().setCandidateId("cand-5").setArtifactUri("file:///b")
                        .setArtifactSha256("cafe").setStage(RolloutStage.CANARY).setShare(0.25).setStep(2)
                        .setSteps(3).setStepStartedAt(T0).setApprovalDecisionId("dec-2").build())
                .build();
    }

    public static DriftReport driftReport() {
        return DriftReport.newBuilder().setReportId("drift-1").setTask("sentiment").setWindowId("sentiment-000007")
                .setReferenceWindowId("sentiment-000001").setCreatedAt(T0)
                .setScores(Map.of("input.token.js", 0.31, "label.js", 0.02))
                .setThresholds(Map.of("input.token.js", 0.2, "label.js", 0.1))
                .setExceeded(List.of("input.token.js")).setRetrainTriggered(true).build();
    }

    public static RetrainRequest retrainRequest() {
        return RetrainRequest.newBuilder().setRequestId("rr-1").setTask("sentiment").setReason("input drift")
                .setDriftReportId("drift-1").setRequestedAt(T0).build();
    }

    public static PredictionLog predictionLog() {
        return PredictionLog.newBuilder().setRequestId("req-9").setTask("sentiment").setAdapterId("cand-4")
                .setText("not bad at all").setPredictedLabel("negative")
                .setProbabilities(Map.of("negative", 0.6, "positive", 0.4)).setServedAt(T0).setLatencyMicros(850L)
                .setRole(ServingRole.SHADOW).setChampionLabel("positive").setChampionConfidence(0.7)
                .setChampionLatencyMicros(700L).build();
    }

    public static AnnotationRequest annotationRequest() {
        return AnnotationRequest.newBuilder().setPredictionId("req-9").setTask("sentiment").setAdapterId("cand-4")
                .setText("not bad at all").setPredictedLabel("negative")
                .setProbabilities(Map.of("negative", 0.55, "positive", 0.45))
                .setReasons(List.of("LOW_MARGIN", "DISAGREEMENT")).setOtherLabel("positive")
                .setOtherAdapterId("cand-5").setAttributes(Map.of("channel", "app")).setRequestedAt(T0).build();
    }
}

package dev.streamtune.serving.api;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import dev.streamtune.contract.TaskCatalogue;
import dev.streamtune.schema.Deployment;
import dev.streamtune.schema.EvaluationReport;
import dev.streamtune.schema.PromotionDecision;
import dev.streamtune.schema.TaskDefinition;
import dev.streamtune.serving.RequestRejectedException;
import dev.streamtune.serving.RequestRejectedException.Reason;
import dev.streamtune.serving.adapter.AdapterRegistry;
import dev.streamtune.serving.adapter.DecisionBook;
import dev.streamtune.serving.adapter.ServedAdapter;
import dev.streamtune.serving.adapter.SwapFailure;
import dev.streamtune.serving.dashboard.DashboardHistory;
import dev.streamtune.serving.predict.PredictionService;
import dev.streamtune.serving.predict.RequestLimits;
import dev.streamtune.serving.tasks.ServedTasks;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import dev.streamtune.serving.rollout.CandidateTrials;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;

/** What answers for each task: adapter, base model, lineage, the decision that approved it, swap problems. */
@Controller("/v1/tasks")
@Tag(name = "model")
final class ModelController {

    private final AdapterRegistry registry;
    private final DecisionBook decisions;
    private final DashboardHistory history;
    private final PredictionService predictions;
    private final ServedTasks tasks;
    private final CandidateTrials trials;
    private final String baseModelId;
    private final String baseModelChecksum;
    private final String engine;

    ModelController(AdapterRegistry registry, DecisionBook decisions, DashboardHistory history,
                    PredictionService predictions, ServedTasks tasks, CandidateTrials trials,
                    dev.streamtune.serving.adapter.ModelAdapterLoader loader) {
        this.trials = trials;
        this.tasks = tasks;
        this.registry = registry;
        this.decisions = decisions;
        this.history = history;
        this.predictions = predictions;
        this.baseModelId = loader.baseModelId();
        this.baseModelChecksum = loader.baseModelChecksum();
        this.engine = loader.engine().configName();
    }

    @Get
    @Operation(summary = "Every task of the catalogue (and any other this service saw records of), with its state, "
            + "labels, the adapter answering for it (null if none) and its last rejected candidate")
    List<TaskSummary> tasks() {
        TaskCatalogue catalogue = tasks.catalogue();
        Set<String> names = new TreeSet<>(registry.tasks());
        names.addAll(history.tasks());
        catalogue.all().forEach(definition -> names.add(definition.getTask()));
        return names.stream().map(task -> {
            Optional<TaskDefinition> definition = catalogue.find(task);
            Optional<ServedAdapter> adapter = registry.current(task);
            return new TaskSummary(task, definition.map(d -> d.getState().name()).orElse(null),
                    definition.map(TaskDefinition::getVersion).orElse(null),
                    definition.map(TaskDefinition::getLabels).map(List::copyOf).orElse(List.of()),
                    adapter.map(ServedAdapter::adapterId).orElse(null),
                    definition.flatMap(d -> adapter.map(a -> ServedTasks.notYetLearned(d.getLabels(),
                            a.model().labels()))).orElse(List.of()),
                    registry.lastFailure(task).map(FailureView::of).orElse(null),
                    decisions.lastRejectionOf(task).map(DecisionView::of).orElse(null));
        }).toList();
    }

    @Get("/{task}/model")
    @Operation(summary = "The adapter answering for the task: versions, lineage, approval and swap status, next to "
            + "the task's catalogue definition (state, version, labels) and the labels the adapter has not learned yet")
    @ApiResponse(responseCode = "200", description = "The current model")
    @ApiResponse(responseCode = "404", description = "The task is not in the task catalogue, or no adapter serves it",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    ModelView model(@PathVariable String task) {
        RequestLimits.task(task);
        // Read, not answered: a retired task's last adapter and state stay visible here (predict answers 410).
        TaskDefinition definition = tasks.catalogue().find(task).orElseThrow(() -> new RequestRejectedException(
                Reason.NOT_FOUND, "Task '" + task + "' is not in the task catalogue"));
        ServedAdapter adapter = registry.current(task).orElseThrow(() -> new RequestRejectedException(Reason.NOT_FOUND,
                "No adapter serves task '" + task + "'" + registry.lastFailure(task)
                        .map(f -> "; the last deployment (" + f.adapterId() + ") was rejected: " + f.message())
                        .orElse(registry.pending(task).map(d -> "; " + d.getAdapterId() + " is loading").orElse(""))
                        + decisions.lastRejectionOf(task).map(d -> "; the evaluator rejected " + d.getCandidateId()
                                + ": " + String.join("; ", d.getReasons().stream()
                                        .filter(r -> !r.startsWith("PASS")).toList())).orElse("")));
        Deployment deployment = adapter.deployment();
        Optional<PromotionDecision> deployedBy = decisions.byId(deployment.getDecisionId());
        Optional<PromotionDecision> approval = deployedBy
                .filter(d -> d.getVerdict() == dev.streamtune.schema.Verdict.APPROVED
                        && d.getCandidateId().equals(adapter.adapterId())) // not a rollout candidate's approval
                .or(() -> decisions.approvalOf(adapter.adapterId()));
        return new ModelView(task, adapter.adapterId(), new BaseModelView(baseModelId, baseModelChecksum),
                engine, adapter.model().labels(), CatalogueView.of(definition),
                ServedTasks.notYetLearned(definition.getLabels(), adapter.model().labels()), adapter.servingSince(), deployment.getDeployedAt(), deployment.getPinned(),
                deployment.getPreviousAdapterId(), deployment.getArtifactSha256(), adapter.model().lineage(),
                approval.map(DecisionView::of).orElse(null),
                deployedBy.filter(d -> approval.map(a -> a != d).orElse(true)).map(DecisionView::of).orElse(null),
                adapter.inFlight(), predictions.queued(task),
                registry.pending(task).map(Deployment::getAdapterId).orElse(null),
                registry.lastFailure(task).map(FailureView::of).orElse(null),
                decisions.lastRejectionOf(task).map(DecisionView::of).orElse(null),
                Optional.ofNullable(deployment.getTrial()).map(t -> new RolloutView(t.getCandidateId(),
                        t.getStage().name(), t.getShare(), t.getStep(), t.getSteps(), t.getStepStartedAt(),
                        trials.candidates().current(task).map(c -> c.adapterId().equals(t.getCandidateId()))
                                .orElse(false),
                        decisions.byId(t.getApprovalDecisionId()).map(DecisionView::of).orElse(null)))
                        .orElse(null));
    }

    /**
     * A rollout running beside the champion.
     *
     * @param loaded   whether this process has the candidate loaded (until then the champion answers its share)
     * @param approval the candidate's approval by the gate, with its evaluation summary
     */
    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record RolloutView(String candidateId, String stage, double share, int step, int steps, Instant stepStartedAt,
                       boolean loaded, @Nullable DecisionView approval) {
    }

    /**
     * @param state               the task's state in the catalogue; null when the catalogue does not hold it (records
     *                            of it were seen, but it is not served)
     * @param definitionVersion   the catalogue version read; null as for state
     * @param labels              the catalogue's labels, in head order
     * @param labelsNotYetLearned catalogue labels the serving adapter has no head row for (appended since it was
     *                            trained; a grown adapter is on its way through training and the gate)
     * @param lastRejection       the task's latest rejected candidate with the gate's reasons; null if none was seen
     */
    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record TaskSummary(String task, @Nullable String state, @Nullable Long definitionVersion, List<String> labels,
                       @Nullable String adapterId, List<String> labelsNotYetLearned,
                       @Nullable FailureView lastSwapError, @Nullable DecisionView lastRejection) {
    }

    /**
     * The task as the catalogue defines it now.
     *
     * @param version  the definition's version (raised by every change)
     * @param labels   the task's labels in head order (append-only)
     * @param maxChars longer predicted text is cut ({@code overflow} TRUNCATE_HEAD, TRUNCATE_HEAD_TAIL) or refused
     *                 (REJECT)
     */
    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record CatalogueView(String state, long version, List<String> labels, @Nullable String positiveLabel,
                         int maxChars, String overflow, String changedBy, Instant changedAt, String change) {
        static CatalogueView of(TaskDefinition d) {
            return new CatalogueView(d.getState().name(), d.getVersion(), List.copyOf(d.getLabels()),
                    d.getPositiveLabel(), d.getText().getMaxChars(), d.getText().getOverflow().name(),
                    d.getChangedBy(), d.getChangedAt(), d.getChange());
        }
    }

    /**
     * @param engine    what runs its forward passes: {@code pytorch}, {@code onnx-fp32} or {@code onnx-int8}
     * @param labels    the serving adapter's labels (its head rows, in logit order)
     * @param catalogue the task's definition in the catalogue now: its labels may run ahead of the adapter's
     * @param labelsNotYetLearned catalogue labels the adapter has no head row for yet (appended since it was trained)
     * @param approval  the decision that approved this adapter, with the evaluation summary; null if not seen
     * @param deployedBy the decision that put it in place when that is not the approval (an operator rollback)
     * @param lastRejection the task's latest rejected candidate with the gate's reasons; null if none was seen
     * @param rollout   the approved candidate on trial beside this adapter (shadow or canary); null if none
     */
    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record ModelView(String task, String adapterId, BaseModelView baseModel, String engine, List<String> labels,
                     CatalogueView catalogue, List<String> labelsNotYetLearned, Instant servingSince, Instant deployedAt, boolean pinned, @Nullable String previousAdapterId,
                     String artifactSha256, Map<String, String> lineage, @Nullable DecisionView approval,
                     @Nullable DecisionView deployedBy, int inFlight, int queuedTexts,
                     @Nullable String loadingAdapterId, @Nullable FailureView lastSwapError,
                     @Nullable DecisionView lastRejection, @Nullable RolloutView rollout) {
    }

    @Serdeable
    record BaseModelView(String id, String checksum) {
    }

    @Serdeable
    record DecisionView(String decisionId, String candidateId, String verdict, String decidedBy, Instant decidedAt, List<String> reasons,
                        @Nullable ReportSummary report) {
        static DecisionView of(PromotionDecision d) {
            return new DecisionView(d.getDecisionId(), d.getCandidateId(), d.getVerdict().name(), d.getDecidedBy(), d.getDecidedAt(),
                    List.copyOf(d.getReasons()), d.getReport() == null ? null : ReportSummary.of(d.getReport()));
        }
    }

    /** The headline numbers of an evaluation; the full report is on promotion.decisions. */
    @Serdeable
    record ReportSummary(String windowId, Instant evaluatedAt, @Nullable String championId, long testExamples,
                         double accuracy, double macroF1, double expectedCalibrationError,
                         @Nullable Double championAccuracy, @Nullable Double retentionAccuracy,
                         @Nullable Double backwardTransfer, @Nullable Double canaryDisagreement,
                         @Nullable LabelScopeView labels) {
        static ReportSummary of(EvaluationReport r) {
            var test = r.getCandidate().getTest();
            return new ReportSummary(r.getWindowId(), r.getEvaluatedAt(), r.getChampionId(), test.getExamples(),
                    test.getAccuracy(), test.getMacroF1(), test.getExpectedCalibrationError(),
                    r.getChampion() == null ? null : r.getChampion().getTest().getAccuracy(),
                    r.getCandidate().getRetention() == null ? null : r.getCandidate().getRetention().getAccuracy(),
                    r.getBackwardTransfer(), r.getCanaryDisagreement(),
                    r.getLabelScope() == null ? null : LabelScopeView.of(r.getLabelScope()));
        }
    }

    /**
     * What the gate compared: champion and candidate on the champion's labels; the candidate alone on
     * {@code newLabels} (its accuracy there against {@code majorityBaseline}); nobody on {@code unjudgedLabels}.
     */
    @Serdeable
    record LabelScopeView(List<String> championLabels, String championLabelsSource, List<String> newLabels,
                          long newLabelExamples, @Nullable Double newLabelAccuracy, double majorityBaseline,
                          List<String> unjudgedLabels) {
        static LabelScopeView of(dev.streamtune.schema.LabelScope s) {
            var metrics = s.getNewLabelMetrics();
            return new LabelScopeView(List.copyOf(s.getChampionLabels()), s.getChampionLabelsSource(),
                    List.copyOf(s.getNewLabels()), metrics == null ? 0 : metrics.getExamples(),
                    metrics == null ? null : metrics.getAccuracy(), s.getMajorityBaseline(),
                    List.copyOf(s.getUnjudgedLabels()));
        }
    }

    @Serdeable
    record FailureView(String adapterId, String kind, String message, Instant at) {
        static FailureView of(SwapFailure f) {
            return new FailureView(f.adapterId(), f.kind(), f.message(), f.at());
        }
    }
}

package dev.streamtune.model.nn;

/**
 * The places where a parameter-efficient method other than LoRA puts its trainable arrays into the encoder, by the
 * array names the blocks look for. A method ({@code dev.streamtune.model.peft.PeftMethod}) declares which of these
 * arrays it trains; the blocks use whichever are present, so a new method that fills these slots needs no change
 * here. LoRA is not a slot: it lives inside every projection ({@link LoraLinear}).
 *
 * <ul>
 *   <li>{@link #PROMPT} {@code [P, H]}: virtual tokens put before the text's tokens after the embeddings; every
 *       layer attends to them, pooling ignores them (prompt tuning).
 *   <li>{@link #prefixKey}/{@link #prefixValue} {@code [P, H]} per layer: extra keys and values every query of that
 *       layer attends to (prefix tuning).
 *   <li>{@link #adapter} per layer and {@link Sublayer}: a residual bottleneck {@code x + up(gelu(down(x)))} on the
 *       sublayer's output projection, before its residual add and LayerNorm (Houlsby adapters).
 * </ul>
 */
public final class PeftSlots {

    /** Virtual input tokens {@code [P, H]}. */
    public static final String PROMPT = "prompt_embeddings";

    /** The two sublayers of a BERT layer whose output a bottleneck adapter can follow. */
    public enum Sublayer {
        ATTENTION("attention.output"),
        FEED_FORWARD("output");

        private final String modulePath;

        Sublayer(String modulePath) {
            this.modulePath = modulePath;
        }
    }

    /** The two projections of a bottleneck adapter: down {@code [m, H]} then up {@code [H, m]}, each with a bias. */
    public enum Projection { DOWN, UP }

    private PeftSlots() {}

    public static String prefixKey(int layer) {
        return "encoder.layer." + layer + ".attention.self.prefix_key";
    }

    public static String prefixValue(int layer) {
        return "encoder.layer." + layer + ".attention.self.prefix_value";
    }

    /**
     * E.g. {@code encoder.layer.3.output.adapter.down.weight}.
     *
     * @param bias the bias rather than the weight
     */
    public static String adapter(int layer, Sublayer sublayer, Projection projection, boolean bias) {
        return "encoder.layer." + layer + "." + sublayer.modulePath + ".adapter."
                + projection.name().toLowerCase(java.util.Locale.ROOT) + (bias ? ".bias" : ".weight");
    }
}

/**
 * Hot swap: which adapter answers for each task ({@link dev.streamtune.serving.adapter.AdapterRegistry}), the
 * reference counting that keeps a replaced adapter open until its last request is done
 * ({@link dev.streamtune.serving.adapter.ServedAdapter}, {@link dev.streamtune.serving.adapter.AdapterLease}), and
 * loading adapters onto the shared base model ({@link dev.streamtune.serving.adapter.ModelAdapterLoader}).
 */
package dev.streamtune.serving.adapter;

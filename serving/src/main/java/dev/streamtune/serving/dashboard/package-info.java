/** The drift dashboard's per-task time series, folded from the pipeline's topics. */
package dev.streamtune.serving.dashboard;

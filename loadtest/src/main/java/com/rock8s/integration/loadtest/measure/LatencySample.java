package com.rock8s.integration.loadtest.measure;

/**
 * One measured wait: from the harness's write to the watch event that showed its effect.
 *
 * @param phase the phase that took it ({@code create}, {@code update}, {@code hot}, {@code recover}, {@code delete})
 * @param object the plug, {@code namespace/name}
 * @param startMillis when the write was sent, in milliseconds since the run started
 * @param latencyMillis how long until the effect was seen
 */
public record LatencySample(String phase, String object, double startMillis, double latencyMillis) {
}

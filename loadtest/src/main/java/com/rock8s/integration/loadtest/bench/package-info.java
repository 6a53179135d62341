/**
 * Micro-benchmarks of single operator components, run from the load-test jar ({@code bench-templates}): no cluster,
 * no replicas, just the component in this JVM.
 */
package com.rock8s.integration.loadtest.bench;

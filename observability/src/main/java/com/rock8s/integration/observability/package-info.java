/** Metrics registry and the probe/metrics HTTP server; knows nothing of plugs or sockets. */
package com.rock8s.integration.observability;

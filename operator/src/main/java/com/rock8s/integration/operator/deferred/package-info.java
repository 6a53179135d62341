/**
 * {@link com.rock8s.integration.operator.api.DeferredResource}s: apply one object once a delay has passed and the
 * objects it waits for exist, as the DeferredResource's service account, and delete it with the DeferredResource.
 */
package com.rock8s.integration.operator.deferred;

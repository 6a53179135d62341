/**
 * The custom resources of {@code integration.rock8s.com/v1beta1}: {@link com.rock8s.integration.operator.api.Plug},
 * {@link com.rock8s.integration.operator.api.Socket} and
 * {@link com.rock8s.integration.operator.api.DeferredResource}, their specs and statuses.
 *
 * <p>Field names match the Go operator this project replaces so that existing manifests apply unchanged. The CRDs in
 * {@code deploy/crds/} are generated from these classes by the build.
 */
package com.rock8s.integration.operator.api;

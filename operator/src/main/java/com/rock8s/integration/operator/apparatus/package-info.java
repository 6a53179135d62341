/**
 * Apparatuses: REST side-cars called on lifecycle events. Endpoint resolution (path on a managed Service or absolute
 * URL), the HTTP client with timeouts and retries, the managed Pod and Service with their idle deadline, and the
 * janitor that deletes idle Pods. The wire format is documented in the README.
 */
package com.rock8s.integration.operator.apparatus;

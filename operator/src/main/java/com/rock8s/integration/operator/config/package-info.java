/**
 * Resolution of each side's data, vars, config and result from their sources, in the documented merge order (later
 * sources win): data = Secret, inline, ConfigMap; config = Secret, inline, templates, ConfigMap (then the apparatus);
 * result = Secret, inline, templates, ConfigMap.
 */
package com.rock8s.integration.operator.config;

/**
 * Java Operator SDK adapters: the Plug and Socket reconcilers, their caches and the event sources that wake a plug
 * when its socket or a Secret/ConfigMap it reads changes. The lifecycle itself lives in the {@code coupling} package.
 */
package com.rock8s.integration.operator.controller;

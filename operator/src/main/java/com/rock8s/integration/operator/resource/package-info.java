/** Rendering templated Kubernetes objects and applying, deleting or recreating them. */
package com.rock8s.integration.operator.resource;

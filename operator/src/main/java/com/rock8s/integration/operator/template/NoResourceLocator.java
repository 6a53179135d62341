package com.rock8s.integration.operator.template;

import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.loader.ResourceLocator;
import com.hubspot.jinjava.loader.ResourceNotFoundException;
import java.nio.charset.Charset;

/**
 * Refuses every {@code include}, {@code import} and {@code from}. Jinjava's default locator reads the operator's
 * classpath, so {@code {% include 'logback.xml' %}} would hand a tenant the operator's own files.
 */
final class NoResourceLocator implements ResourceLocator {
    @Override
    public String getString(String fullName, Charset encoding, JinjavaInterpreter interpreter)
            throws ResourceNotFoundException {
        throw new ResourceNotFoundException("templates cannot include or import other templates ('" + fullName + "')");
    }
}

package com.rock8s.integration.operator.template;

import com.hubspot.jinjava.el.JinjavaInterpreterResolver;
import com.hubspot.jinjava.lib.filter.Filter;
import java.beans.FeatureDescriptor;
import java.util.Iterator;
import jinjava.javax.el.ELContext;
import jinjava.javax.el.ELException;
import jinjava.javax.el.ELResolver;

/**
 * Jinjava's read-only expression resolver without Java method calls. Templates come from tenants; a call such as
 * {@code ''.getClass()} or {@code someMap.put(...)} must not reach the JVM. Calls on Jinjava's own objects (the
 * {@code items()} of its map wrapper, filter and function plumbing) and on registered filters stay allowed, so
 * filters, tests, functions and loops work as documented.
 *
 * <p>Every property read and call also checks the render's {@link RenderBudget}: filters, functions and macro calls
 * all pass through here.
 */
final class SandboxResolver extends ELResolver {
    private static final String JINJAVA_PACKAGE = "com.hubspot.jinjava.";

    private final ELResolver delegate = JinjavaInterpreterResolver.DEFAULT_RESOLVER_READ_ONLY;

    @Override
    public Object invoke(ELContext context, Object base, Object method, Class<?>[] paramTypes, Object[] params) {
        RenderBudget.check();
        if (base != null && !(base instanceof Filter) && !base.getClass().getName().startsWith(JINJAVA_PACKAGE)) {
            throw new ELException("calling the Java method '" + method + "' is not allowed in templates");
        }
        return delegate.invoke(context, base, method, paramTypes, params);
    }

    @Override
    public Object getValue(ELContext context, Object base, Object property) {
        RenderBudget.check();
        return delegate.getValue(context, base, property);
    }

    @Override
    public Class<?> getType(ELContext context, Object base, Object property) {
        return delegate.getType(context, base, property);
    }

    @Override
    public void setValue(ELContext context, Object base, Object property, Object value) {
        delegate.setValue(context, base, property, value);
    }

    @Override
    public boolean isReadOnly(ELContext context, Object base, Object property) {
        return true;
    }

    @Override
    public Iterator<FeatureDescriptor> getFeatureDescriptors(ELContext context, Object base) {
        return delegate.getFeatureDescriptors(context, base);
    }

    @Override
    public Class<?> getCommonPropertyType(ELContext context, Object base) {
        return delegate.getCommonPropertyType(context, base);
    }
}

package com.rock8s.integration.operator.template;

import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.JinjavaConfig;
import com.hubspot.jinjava.interpret.Context;
import com.hubspot.jinjava.interpret.InterpreterFactory;
import com.hubspot.jinjava.interpret.JinjavaInterpreter;

/**
 * An interpreter that checks the {@link RenderBudget} whenever it wraps a value. The {@code for} tag wraps every item
 * it iterates, so this is the one hook that fires on each iteration of a loop, even one with an empty body.
 */
final class BoundedInterpreter extends JinjavaInterpreter {
    /** Makes every interpreter Jinjava creates on its own (for imports, say) a bounded one. */
    static final InterpreterFactory FACTORY = new InterpreterFactory() {
        @Override
        public JinjavaInterpreter newInstance(JinjavaInterpreter orig) {
            return new BoundedInterpreter(orig);
        }

        @Override
        public JinjavaInterpreter newInstance(Jinjava application, Context context, JinjavaConfig renderConfig) {
            return new BoundedInterpreter(application, context, renderConfig);
        }
    };

    BoundedInterpreter(Jinjava application, Context context, JinjavaConfig config) {
        super(application, context, config);
    }

    private BoundedInterpreter(JinjavaInterpreter orig) {
        super(orig);
    }

    @Override
    public Object wrap(Object object) {
        RenderBudget.check();
        return super.wrap(object);
    }
}

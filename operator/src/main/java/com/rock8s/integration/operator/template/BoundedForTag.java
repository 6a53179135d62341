package com.rock8s.integration.operator.template;

import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.lib.tag.ForTag;
import com.hubspot.jinjava.tree.TagNode;

/**
 * The built-in {@code for} tag, checking the {@link RenderBudget} before each loop starts. Registered in place of
 * Jinjava's own, so an exception thrown here leaves the tag (Jinjava rethrows it as an interpret error) and unwinds
 * every enclosing loop instead of being recorded as an expression error.
 */
final class BoundedForTag extends ForTag {
    private static final long serialVersionUID = 1L;

    @Override
    public String interpret(TagNode tagNode, JinjavaInterpreter interpreter) {
        RenderBudget.check();
        return super.interpret(tagNode, interpreter);
    }
}

package com.rock8s.integration.operator.template;

import com.hubspot.jinjava.interpret.TemplateError;
import com.hubspot.jinjava.tree.Node;
import java.util.List;

/**
 * A parsed template: Jinjava's node tree and the errors the parser recorded. The tree is never changed while it is
 * rendered (renders keep their state in their own interpreter and context), so one instance serves concurrent renders.
 * The errors are kept because a cached tree is rendered by interpreters that did not parse it, and a syntax error
 * must fail every render of that text, not only the first.
 */
record CompiledTemplate(Node root, List<TemplateError> parseErrors) {
    CompiledTemplate {
        parseErrors = List.copyOf(parseErrors);
    }
}

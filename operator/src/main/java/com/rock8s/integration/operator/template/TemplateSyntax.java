package com.rock8s.integration.operator.template;

import com.hubspot.jinjava.tree.parse.DefaultTokenScannerSymbols;
import com.hubspot.jinjava.tree.parse.StringTokenScannerSymbols;
import com.hubspot.jinjava.tree.parse.TokenScannerSymbols;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.Map;

/**
 * The delimiters an object's templates use. Standard Jinja by default; {@code brackets} ({@code [[ expr ]]},
 * {@code [% stmt %]}, {@code [# comment #]}) for Plugs and Sockets shipped inside Helm charts, where {@code {{ }}}
 * belongs to Helm. Chosen per object with the annotation {@value #ANNOTATION}.
 */
public enum TemplateSyntax {
    JINJA("{{", "}}", "{%", "%}", "{#", "#}"),
    BRACKETS("[[", "]]", "[%", "%]", "[#", "#]");

    public static final String ANNOTATION = "integration.rock8s.com/template-syntax";

    private final String expressionStart;
    private final String expressionEnd;
    private final String blockStart;
    private final String blockEnd;
    private final String commentStart;
    private final String commentEnd;

    TemplateSyntax(String expressionStart, String expressionEnd, String blockStart, String blockEnd,
                   String commentStart, String commentEnd) {
        this.expressionStart = expressionStart;
        this.expressionEnd = expressionEnd;
        this.blockStart = blockStart;
        this.blockEnd = blockEnd;
        this.commentStart = commentStart;
        this.commentEnd = commentEnd;
    }

    /** The syntax {@code owner} asks for; an unknown annotation value is an error, not a silent fallback. */
    public static TemplateSyntax of(HasMetadata owner) throws TemplateException {
        Map<String, String> annotations = owner == null ? null : owner.getMetadata().getAnnotations();
        String value = annotations == null ? null : annotations.get(ANNOTATION);
        if (value == null || value.isBlank() || "jinja".equals(value.trim())) {
            return JINJA;
        }
        if ("brackets".equals(value.trim())) {
            return BRACKETS;
        }
        throw new TemplateException("annotation " + ANNOTATION + " is '" + value
                + "'; it must be 'jinja' (the default) or 'brackets'");
    }

    public String expressionStart() {
        return expressionStart;
    }

    public String expressionEnd() {
        return expressionEnd;
    }

    /** Whether {@code text} may hold a template construct at all (cheap check before parsing). */
    public boolean mayContainTemplate(String text) {
        return text != null && (text.contains(expressionStart) || text.contains(blockStart)
                || text.contains(commentStart));
    }

    TokenScannerSymbols scannerSymbols() {
        if (this == JINJA) {
            return new DefaultTokenScannerSymbols();
        }
        return new StringTokenScannerSymbols.Builder()
                .withVariableStartString(expressionStart).withVariableEndString(expressionEnd)
                .withBlockStartString(blockStart).withBlockEndString(blockEnd)
                .withCommentStartString(commentStart).withCommentEndString(commentEnd)
                .build();
    }
}

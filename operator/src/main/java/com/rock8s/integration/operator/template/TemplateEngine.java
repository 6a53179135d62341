package com.rock8s.integration.operator.template;

import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.JinjavaConfig;
import com.hubspot.jinjava.interpret.Context;
import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.interpret.RenderResult;
import com.hubspot.jinjava.interpret.TemplateError;
import com.hubspot.jinjava.lib.filter.Filter;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Renders Jinja templates (Jinjava) for config, result and resource templates.
 *
 * <p>Undefined variables are errors, not empty strings: a typo in a template must fail the coupling with a clear
 * reason rather than feed an empty value to the other side. {@code default(...)} and {@code is defined} still work.
 */
public final class TemplateEngine {
    private static final long MAX_OUTPUT_BYTES = 1024L * 1024L;
    private static final int MAX_COLLECTION_SIZE = 10_000;

    private final Map<TemplateSyntax, Jinjava> engines = new EnumMap<>(TemplateSyntax.class);
    private final Map<TemplateSyntax, Pattern> singleExpressions = new EnumMap<>(TemplateSyntax.class);

    public TemplateEngine() {
        for (TemplateSyntax syntax : TemplateSyntax.values()) {
            engines.put(syntax, newJinjava(syntax));
            singleExpressions.put(syntax, Pattern.compile("^\\s*" + Pattern.quote(syntax.expressionStart()) + "(.*?)"
                    + Pattern.quote(syntax.expressionEnd()) + "\\s*$", Pattern.DOTALL));
        }
    }

    private static Jinjava newJinjava(TemplateSyntax syntax) {
        JinjavaConfig config = JinjavaConfig.newBuilder()
                .withTokenScannerSymbols(syntax.scannerSymbols())
                .withFailOnUnknownTokens(true)
                .withTrimBlocks(true)
                .withLstripBlocks(true)
                .withMaxOutputSize(MAX_OUTPUT_BYTES)
                .withMaxStringLength(MAX_OUTPUT_BYTES)
                .withMaxListSize(MAX_COLLECTION_SIZE)
                .withMaxMapSize(MAX_COLLECTION_SIZE)
                .withMaxRenderDepth(10)
                .withMaxMacroRecursionDepth(10)
                .withRangeLimit(MAX_COLLECTION_SIZE)
                .withElResolver(new SandboxResolver())
                .build();
        Jinjava jinjava = new Jinjava(config);
        jinjava.registerFilter(new Sha256Filter());
        jinjava.registerFilter(new QuoteFilter());
        return jinjava;
    }

    /** Renders {@code template} (standard Jinja syntax) as text. */
    public String render(String template, Map<String, ?> bindings) throws TemplateException {
        return render(template, bindings, TemplateSyntax.JINJA);
    }

    /** Renders {@code template} written in {@code syntax} as text. */
    public String render(String template, Map<String, ?> bindings, TemplateSyntax syntax) throws TemplateException {
        if (!syntax.mayContainTemplate(template)) {
            return template;
        }
        RenderResult result = engines.get(syntax).renderForResult(template, bindings);
        throwOnFatal(result.getErrors(), template);
        return result.getOutput();
    }

    /**
     * Renders one leaf of a structured template. A leaf that is exactly one {@code {{ expression }}} keeps the type of
     * its value (a number stays a number, a map stays a map); any other leaf renders to a string.
     */
    public Object renderLeaf(String template, Map<String, ?> bindings) throws TemplateException {
        return renderLeaf(template, bindings, TemplateSyntax.JINJA);
    }

    /** {@link #renderLeaf(String, Map)} for a template written in {@code syntax}. */
    public Object renderLeaf(String template, Map<String, ?> bindings, TemplateSyntax syntax)
            throws TemplateException {
        Matcher single = singleExpressions.get(syntax).matcher(template == null ? "" : template);
        if (!single.matches() || single.group(1).contains(syntax.expressionStart())
                || single.group(1).contains(syntax.expressionEnd())) {
            return render(template, bindings, syntax);
        }
        String expression = single.group(1);
        // whitespace-control markers ({{- x -}}) belong to the delimiters, not to the expression
        if (expression.startsWith("-")) {
            expression = expression.substring(1);
        }
        if (expression.endsWith("-")) {
            expression = expression.substring(0, expression.length() - 1);
        }
        JinjavaInterpreter interpreter = engines.get(syntax).newInterpreter();
        Context context = interpreter.getContext();
        bindings.forEach(context::put);
        JinjavaInterpreter.pushCurrent(interpreter);
        try {
            Object value = interpreter.resolveELExpression(expression.trim(), 1);
            throwOnFatal(interpreter.getErrors(), template);
            return value;
        } catch (RuntimeException e) {
            throw new TemplateException("template '" + abbreviate(template) + "': " + e.getMessage());
        } finally {
            JinjavaInterpreter.popCurrent();
        }
    }

    private static void throwOnFatal(Iterable<TemplateError> errors, String template) throws TemplateException {
        for (TemplateError error : errors) {
            if (error.getSeverity() == TemplateError.ErrorType.FATAL) {
                throw new TemplateException("template '" + abbreviate(template) + "': " + error.getMessage());
            }
        }
    }

    private static String abbreviate(String template) {
        String oneLine = template.replaceAll("\\s+", " ").trim();
        return oneLine.length() <= 80 ? oneLine : oneLine.substring(0, 77) + "...";
    }

    /** {@code value | sha256}: hex SHA-256 of the value's text. */
    private static final class Sha256Filter implements Filter {
        @Override
        public String getName() {
            return "sha256";
        }

        @Override
        public Object filter(Object var, JinjavaInterpreter interpreter, String... args) {
            try {
                byte[] digest = MessageDigest.getInstance("SHA-256")
                        .digest(String.valueOf(var).getBytes(StandardCharsets.UTF_8));
                return HexFormat.of().formatHex(digest);
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("SHA-256 is part of every JRE", e);
            }
        }
    }

    /** {@code value | quote}: the value as a double-quoted, escaped string (safe inside YAML and JSON). */
    private static final class QuoteFilter implements Filter {
        @Override
        public String getName() {
            return "quote";
        }

        @Override
        public Object filter(Object var, JinjavaInterpreter interpreter, String... args) {
            String text = var == null ? "" : String.valueOf(var);
            StringBuilder quoted = new StringBuilder(text.length() + 2).append('"');
            for (char c : text.toCharArray()) {
                switch (c) {
                    case '"' -> quoted.append("\\\"");
                    case '\\' -> quoted.append("\\\\");
                    case '\n' -> quoted.append("\\n");
                    case '\r' -> quoted.append("\\r");
                    case '\t' -> quoted.append("\\t");
                    default -> quoted.append(c);
                }
            }
            return quoted.append('"').toString();
        }
    }
}

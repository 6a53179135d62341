package com.rock8s.integration.operator.template;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.stats.CacheStats;
import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.JinjavaConfig;
import com.hubspot.jinjava.interpret.Context;
import com.hubspot.jinjava.interpret.InterpretException;
import com.hubspot.jinjava.interpret.InvalidArgumentException;
import com.hubspot.jinjava.interpret.InvalidInputException;
import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.interpret.TemplateError;
import com.hubspot.jinjava.interpret.TemplateSyntaxException;
import com.hubspot.jinjava.lib.filter.Filter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Renders Jinja templates (Jinjava) for config, result and resource templates.
 *
 * <p>Undefined variables are errors, not empty strings: a typo in a template must fail the coupling with a clear
 * reason rather than feed an empty value to the other side. {@code default(...)} and {@code is defined} still work.
 *
 * <p>Parsed templates are cached by their text and syntax (bounded by {@link #DEFAULT_CACHE_SIZE} entries, metrics
 * under the cache name {@value #CACHE_NAME}), so a template shared by many plugs is parsed and checked once. Each
 * render has a deadline ({@link RenderBudget}); a template still running at its deadline fails with a
 * {@link TemplateException} saying so. Instances are safe for concurrent use.
 */
public final class TemplateEngine {
    /** Parsed templates kept: a few KiB each, and most operators hold far fewer distinct template texts. */
    public static final long DEFAULT_CACHE_SIZE = 10_000;
    /** How long one render may run unless configured otherwise ({@code TEMPLATE_RENDER_TIMEOUT_MILLIS}). */
    public static final Duration DEFAULT_RENDER_TIMEOUT = Duration.ofMillis(2_000);
    /** The {@code cache} tag of the template cache's meters. */
    public static final String CACHE_NAME = "templates";

    private static final long MAX_OUTPUT_BYTES = 1024L * 1024L;
    private static final int MAX_COLLECTION_SIZE = 10_000;

    private final Map<TemplateSyntax, Jinjava> engines = new EnumMap<>(TemplateSyntax.class);
    private final Map<TemplateSyntax, Pattern> singleExpressions = new EnumMap<>(TemplateSyntax.class);
    /** {@code null} when caching is off (size 0): every render parses. */
    private final Cache<Key, CompiledTemplate> compiled;
    private final Duration renderTimeout;

    /** The default cache size and render time limit. */
    public TemplateEngine() {
        this(DEFAULT_CACHE_SIZE, DEFAULT_RENDER_TIMEOUT);
    }

    /**
     * @param cacheSize     parsed templates to keep; {@code 0} turns the cache off (the benchmark compares both)
     * @param renderTimeout how long one render may run before it fails
     */
    public TemplateEngine(long cacheSize, Duration renderTimeout) {
        if (cacheSize < 0) {
            throw new IllegalArgumentException("template cache size must not be negative, got " + cacheSize);
        }
        if (renderTimeout.isNegative() || renderTimeout.isZero()) {
            throw new IllegalArgumentException("template render timeout must be positive, got " + renderTimeout);
        }
        this.renderTimeout = renderTimeout;
        this.compiled = cacheSize == 0 ? null : Caffeine.newBuilder().maximumSize(cacheSize).recordStats().build();
        for (TemplateSyntax syntax : TemplateSyntax.values()) {
            engines.put(syntax, newJinjava(syntax));
            singleExpressions.put(syntax, Pattern.compile("^\\s*" + Pattern.quote(syntax.expressionStart()) + "(.*?)"
                    + Pattern.quote(syntax.expressionEnd()) + "\\s*$", Pattern.DOTALL));
        }
    }

    /**
     * Exports the template cache's hits, misses, evictions and size to {@code registry} (cache name
     * {@value #CACHE_NAME}). Does nothing when the cache is off.
     */
    public TemplateEngine monitoredBy(MeterRegistry registry) {
        if (compiled != null) {
            CaffeineCacheMetrics.monitor(registry, compiled, CACHE_NAME);
        }
        return this;
    }

    /** The template cache's counters (all zero when the cache is off). */
    public CacheStats cacheStats() {
        return compiled == null ? CacheStats.empty() : compiled.stats();
    }

    /** Parsed templates held now (an estimate, as Caffeine evicts asynchronously). */
    public long cachedTemplates() {
        return compiled == null ? 0 : compiled.estimatedSize();
    }

    /** Runs the cache's pending maintenance (evictions) now; tests call it before reading sizes. */
    void cleanUpCache() {
        if (compiled != null) {
            compiled.cleanUp();
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
                // interpreters Jinjava creates itself (imports) must check the render budget too
                .withInterperterFactory(BoundedInterpreter.FACTORY)
                .build();
        Jinjava jinjava = new Jinjava(config);
        jinjava.setResourceLocator(new NoResourceLocator());
        jinjava.registerTag(new BoundedForTag());
        for (Filter filter : Filters.all()) {
            jinjava.registerFilter(filter);
        }
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
        Jinjava jinjava = engines.get(syntax);
        CompiledTemplate parsed = compile(template, syntax);
        JinjavaConfig config = jinjava.getGlobalConfig();
        JinjavaInterpreter interpreter = new BoundedInterpreter(jinjava,
                new Context(jinjava.getGlobalContextCopy(), bindings, config.getDisabled()), config);
        // the same error order as Jinjava's renderForResult: an exception that ended the render, then what the
        // parser recorded, then what the render recorded
        List<TemplateError> errors = new ArrayList<>();
        String output = "";
        try (RenderBudget budget = RenderBudget.start(renderTimeout)) {
            try {
                output = interpreter.render(parsed.root());
            } catch (RuntimeException e) {
                errors.add(errorOf(e));
            }
            if (budget.exceeded()) {
                throw new TemplateException("template '" + abbreviate(template) + "': " + budget.message());
            }
        }
        errors.addAll(parsed.parseErrors());
        errors.addAll(interpreter.getErrorsCopy());
        throwOnFatal(errors, template);
        return config.isKeepTrailingNewline() || !output.endsWith("\n") ? output
                : output.substring(0, output.length() - 1);
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
        try (RenderBudget budget = RenderBudget.start(renderTimeout)) {
            Object value;
            try {
                value = interpreter.resolveELExpression(expression.trim(), 1);
            } catch (RuntimeException e) {
                if (budget.exceeded()) {
                    throw new TemplateException("template '" + abbreviate(template) + "': " + budget.message());
                }
                throw new TemplateException("template '" + abbreviate(template) + "': " + e.getMessage());
            }
            if (budget.exceeded()) {
                throw new TemplateException("template '" + abbreviate(template) + "': " + budget.message());
            }
            throwOnFatal(interpreter.getErrors(), template);
            return value;
        } finally {
            JinjavaInterpreter.popCurrent();
        }
    }

    /** The parsed tree of {@code template}, from the cache when it is on. */
    private CompiledTemplate compile(String template, TemplateSyntax syntax) {
        if (compiled == null) {
            return parse(template, syntax);
        }
        return compiled.get(new Key(syntax, template), key -> parse(key.text(), key.syntax()));
    }

    private CompiledTemplate parse(String template, TemplateSyntax syntax) {
        JinjavaInterpreter parser = engines.get(syntax).newInterpreter();
        return new CompiledTemplate(parser.parse(template), parser.getErrorsCopy());
    }

    /** The error Jinjava's renderForResult records for an exception that ended a render. */
    private static TemplateError errorOf(RuntimeException e) {
        if (e instanceof TemplateSyntaxException syntax) {
            return TemplateError.fromException(syntax);
        }
        if (e instanceof InterpretException interpret) {
            return TemplateError.fromSyntaxError(interpret);
        }
        if (e instanceof InvalidArgumentException invalidArgument) {
            return TemplateError.fromInvalidArgumentException(invalidArgument);
        }
        if (e instanceof InvalidInputException invalidInput) {
            return TemplateError.fromInvalidInputException(invalidInput);
        }
        return TemplateError.fromException(e);
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

    /** A cache key: the same text means different templates in different syntaxes. */
    private record Key(TemplateSyntax syntax, String text) {
    }
}

package com.rock8s.integration.operator.telemetry;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Metric names in the PromQL queries ({@code "expr"}) of a Grafana dashboard. */
final class DashboardQueries {
    private static final Pattern EXPR = Pattern.compile("\"expr\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");
    private static final Pattern IDENTIFIER = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Set<String> PROMQL = Set.of("sum", "avg", "min", "max", "count", "rate", "irate",
            "increase", "delta", "histogram_quantile", "by", "without", "on", "ignoring", "group_left", "group_right",
            "and", "or", "unless", "clamp_min", "clamp_max", "topk", "bottomk", "abs", "vector", "scalar",
            "label_replace", "avg_over_time", "max_over_time", "min_over_time", "offset", "bool", "time");

    private DashboardQueries() {
    }

    static List<String> expressions(String dashboardJson) {
        List<String> expressions = new ArrayList<>();
        Matcher matcher = EXPR.matcher(dashboardJson);
        while (matcher.find()) {
            expressions.add(matcher.group(1).replace("\\\"", "\"").replace("\\n", " "));
        }
        return expressions;
    }

    static Set<String> metricNames(String dashboardJson) {
        Set<String> names = new TreeSet<>();
        for (String expression : expressions(dashboardJson)) {
            String bare = expression
                    .replaceAll("\\{[^}]*\\}", " ")             // label matchers
                    .replaceAll("\\[[^\\]]*\\]", " ")           // range selectors ($__rate_interval)
                    .replaceAll("\"[^\"]*\"", " ")              // string arguments
                    .replaceAll("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", " ");
            Matcher matcher = IDENTIFIER.matcher(bare);
            while (matcher.find()) {
                String token = matcher.group();
                boolean isFunction = PROMQL.contains(token);
                boolean isNumberExponent = matcher.start() > 0 && Character.isDigit(bare.charAt(matcher.start() - 1));
                if (!isFunction && !isNumberExponent && !token.startsWith("$")) {
                    names.add(token);
                }
            }
        }
        return names;
    }
}

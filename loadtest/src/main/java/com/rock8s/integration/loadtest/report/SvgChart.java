package com.rock8s.integration.loadtest.report;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/** A small line chart as inline SVG: axes with a few ticks, one polyline per series, a legend. No script. */
final class SvgChart {
    private static final String[] COLOURS = {"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b"};
    private static final int WIDTH = 760;
    private static final int HEIGHT = 280;
    private static final int LEFT = 70;
    private static final int RIGHT = 20;
    private static final int TOP = 30;
    private static final int BOTTOM = 45;

    private SvgChart() {
    }

    /**
     * Renders series of (x, y) points.
     *
     * @param title chart title
     * @param xLabel x axis label
     * @param yLabel y axis label
     * @param series name to points, each point {x, y}
     * @return the {@code <svg>} element, or a note when there is nothing to draw
     */
    static String lines(String title, String xLabel, String yLabel, Map<String, List<double[]>> series) {
        double maxX = 0;
        double maxY = 0;
        boolean any = false;
        for (List<double[]> points : series.values()) {
            for (double[] p : points) {
                maxX = Math.max(maxX, p[0]);
                maxY = Math.max(maxY, p[1]);
                any = true;
            }
        }
        if (!any) {
            return "<p class=\"empty\">" + HtmlReport.escape(title) + ": no data.</p>";
        }
        maxX = niceCeiling(maxX);
        maxY = niceCeiling(maxY);
        double plotW = WIDTH - LEFT - RIGHT;
        double plotH = HEIGHT - TOP - BOTTOM;
        StringBuilder svg = new StringBuilder();
        svg.append("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 ").append(WIDTH).append(' ')
                .append(HEIGHT).append("\" width=\"").append(WIDTH).append("\" height=\"").append(HEIGHT)
                .append("\" role=\"img\"><title>").append(HtmlReport.escape(title)).append("</title>");
        svg.append("<text x=\"").append(LEFT).append("\" y=\"18\" class=\"t\">").append(HtmlReport.escape(title))
                .append("</text>");
        for (int i = 0; i <= 4; i++) {
            double y = TOP + plotH - plotH * i / 4;
            double x = LEFT + plotW * i / 4;
            svg.append(line(LEFT, y, LEFT + plotW, y, "#e5e5e5"));
            svg.append(text(LEFT - 6, y + 4, "end", fmt(maxY * i / 4)));
            svg.append(text(x, TOP + plotH + 16, "middle", fmt(maxX * i / 4)));
        }
        svg.append(line(LEFT, TOP, LEFT, TOP + plotH, "#333")).append(line(LEFT, TOP + plotH, LEFT + plotW,
                TOP + plotH, "#333"));
        svg.append(text(LEFT + plotW / 2, HEIGHT - 6, "middle", xLabel));
        svg.append("<text transform=\"translate(14,").append(fmt(TOP + plotH / 2))
                .append(") rotate(-90)\" text-anchor=\"middle\" class=\"a\">").append(HtmlReport.escape(yLabel))
                .append("</text>");
        int c = 0;
        for (Map.Entry<String, List<double[]>> e : series.entrySet()) {
            String colour = COLOURS[c % COLOURS.length];
            StringBuilder pts = new StringBuilder();
            for (double[] p : e.getValue()) {
                pts.append(fmt(LEFT + plotW * p[0] / maxX)).append(',').append(fmt(TOP + plotH - plotH * p[1] / maxY))
                        .append(' ');
            }
            svg.append("<polyline fill=\"none\" stroke=\"").append(colour).append("\" stroke-width=\"1.8\" points=\"")
                    .append(pts.toString().trim()).append("\"/>");
            // the legend sits on the title line, right of it, so it never covers the plot
            double lx = WIDTH - RIGHT - (series.size() - c) * 110;
            svg.append("<rect x=\"").append(fmt(lx)).append("\" y=\"12\" width=\"10\" height=\"3\" fill=\"")
                    .append(colour).append("\"/>");
            svg.append(text(lx + 14, 17, "start", e.getKey()));
            c++;
        }
        return svg.append("</svg>").toString();
    }

    private static String line(double x1, double y1, double x2, double y2, String colour) {
        return "<line x1=\"" + fmt(x1) + "\" y1=\"" + fmt(y1) + "\" x2=\"" + fmt(x2) + "\" y2=\"" + fmt(y2)
                + "\" stroke=\"" + colour + "\"/>";
    }

    private static String text(double x, double y, String anchor, String value) {
        return "<text x=\"" + fmt(x) + "\" y=\"" + fmt(y) + "\" text-anchor=\"" + anchor + "\" class=\"a\">"
                + HtmlReport.escape(value) + "</text>";
    }

    /** A round number at or above {@code v}, so ticks read well. */
    static double niceCeiling(double v) {
        if (v <= 0) {
            return 1;
        }
        double magnitude = Math.pow(10, Math.floor(Math.log10(v)));
        for (double step : new double[] {1, 2, 2.5, 5, 10}) {
            if (step * magnitude >= v) {
                return step * magnitude;
            }
        }
        return 10 * magnitude;
    }

    static String fmt(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e12) {
            return Long.toString((long) v);
        }
        return String.format(Locale.ROOT, Math.abs(v) >= 100 ? "%.0f" : Math.abs(v) >= 10 ? "%.1f" : "%.2f", v);
    }
}

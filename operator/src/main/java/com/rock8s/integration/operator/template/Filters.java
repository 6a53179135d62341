package com.rock8s.integration.operator.template;

import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.lib.filter.Filter;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/** The filters the operator adds to Jinjava's built-in ones (named in the README's template section). */
final class Filters {
    private Filters() {
    }

    /** Every added filter, registered on each Jinjava instance. */
    static List<Filter> all() {
        return List.of(new Sha256Filter(), new QuoteFilter(), new NindentFilter());
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

    /**
     * {@code value | nindent(width)}: a newline, then every line of the value (the first one too) indented by
     * {@code width} spaces (default 4), as Helm's {@code nindent}. Lets a block be placed under a YAML key written on
     * the template's own line: {@code data:{{ cfg | toyaml | nindent(2) }}}.
     */
    private static final class NindentFilter implements Filter {
        private static final int DEFAULT_WIDTH = 4;

        @Override
        public String getName() {
            return "nindent";
        }

        @Override
        public Object filter(Object var, JinjavaInterpreter interpreter, String... args) {
            int width = args.length == 0 || args[0] == null || args[0].isBlank() ? DEFAULT_WIDTH : width(args[0]);
            String pad = " ".repeat(width);
            String text = var == null ? "" : String.valueOf(var);
            return "\n" + pad + text.replace("\n", "\n" + pad);
        }

        private static int width(String arg) {
            try {
                int width = (int) Double.parseDouble(arg.trim());
                if (width < 0 || width > 1_000) {
                    throw new IllegalArgumentException("nindent width must be between 0 and 1000, got " + arg);
                }
                return width;
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("nindent width must be a number, got '" + arg + "'", e);
            }
        }
    }
}

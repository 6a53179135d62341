package com.rock8s.integration.operator.interfaces;

/**
 * One key an interface declares for a side's config or result, as validation reads it.
 *
 * @param name         the key
 * @param required     the key must be present (non-empty) unless it has a default
 * @param defaultValue the value used when the key is absent or empty; {@code null} when the interface gives none or
 *                     an empty one (an empty default counts as no default)
 */
public record DeclaredKey(String name, boolean required, String defaultValue) {
}

package com.rock8s.integration.operator.embedded;

import java.util.List;

/**
 * One resource type as discovery describes it, for one group/version.
 *
 * @param group API group, empty for core
 * @param version API version
 * @param plural resource name in URLs
 * @param singular singular name
 * @param kind object kind
 * @param namespaced whether objects live in namespaces
 * @param shortNames kubectl short names
 * @param categories kubectl categories ({@code all}, ...)
 * @param subresources subresource names ({@code status}, {@code scale})
 * @param columns CRD printer columns, {@code null} for built-in types
 */
record ResourceType(
        String group,
        String version,
        String plural,
        String singular,
        String kind,
        boolean namespaced,
        List<String> shortNames,
        List<String> categories,
        List<String> subresources,
        List<PrinterColumn> columns) {

    /**
     * A CRD {@code additionalPrinterColumns} entry, with its JSONPath compiled once.
     *
     * @param name column header
     * @param type {@code string}, {@code integer}, {@code number}, {@code boolean} or {@code date}
     * @param format optional format
     * @param description column description
     * @param priority 0 for default output, higher for {@code -o wide}
     * @param path the compiled {@code jsonPath}, {@code null} when it did not compile
     */
    record PrinterColumn(String name, String type, String format, String description, int priority, JsonPath path) {
    }

    static ResourceType builtin(String group, String version, String plural, String kind, boolean namespaced,
            List<String> shortNames, List<String> categories, List<String> subresources) {
        return new ResourceType(group, version, plural, kind.toLowerCase(java.util.Locale.ROOT), kind, namespaced,
                shortNames, categories, subresources, null);
    }

    String apiVersion() {
        return group.isEmpty() ? version : group + "/" + version;
    }
}

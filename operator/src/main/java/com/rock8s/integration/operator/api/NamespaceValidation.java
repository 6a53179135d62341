package com.rock8s.integration.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;

/**
 * Which plug namespaces may couple to a socket. Each entry is a regular expression matched against the whole
 * namespace name. The blacklist wins; a present whitelist (even empty) must match.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class NamespaceValidation {
    @JsonPropertyDescription("regular expressions; if present (even empty), the plug's namespace must fully match one "
            + "of them")
    private List<String> namespaceWhitelist;
    @JsonPropertyDescription("regular expressions; a plug whose namespace fully matches one is refused, checked "
            + "before the whitelist")
    private List<String> namespaceBlacklist;

    public List<String> getNamespaceWhitelist() { return namespaceWhitelist; }
    public void setNamespaceWhitelist(List<String> namespaceWhitelist) { this.namespaceWhitelist = namespaceWhitelist; }
    public List<String> getNamespaceBlacklist() { return namespaceBlacklist; }
    public void setNamespaceBlacklist(List<String> namespaceBlacklist) { this.namespaceBlacklist = namespaceBlacklist; }
}

package com.rock8s.integration.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * Which plug namespaces may couple to a socket. Each entry is a regular expression matched against the whole
 * namespace name. The blacklist wins; a present whitelist (even empty) must match.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class NamespaceValidation {
    private List<String> namespaceWhitelist;
    private List<String> namespaceBlacklist;

    public List<String> getNamespaceWhitelist() { return namespaceWhitelist; }
    public void setNamespaceWhitelist(List<String> namespaceWhitelist) { this.namespaceWhitelist = namespaceWhitelist; }
    public List<String> getNamespaceBlacklist() { return namespaceBlacklist; }
    public void setNamespaceBlacklist(List<String> namespaceBlacklist) { this.namespaceBlacklist = namespaceBlacklist; }
}

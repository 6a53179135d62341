package com.rock8s.integration.operator.controller;

/**
 * Told when a reconcile of a plug or socket starts and ends on this replica. Tests audit with it that no namespace is
 * worked on by two replicas at once; the default does nothing.
 */
public interface ReconcileObserver {
    ReconcileObserver NONE = new ReconcileObserver() {
        @Override
        public void started(String replica, String kind, String namespace, String name) {
        }

        @Override
        public void finished(String replica, String kind, String namespace, String name) {
        }
    };

    void started(String replica, String kind, String namespace, String name);

    void finished(String replica, String kind, String namespace, String name);
}

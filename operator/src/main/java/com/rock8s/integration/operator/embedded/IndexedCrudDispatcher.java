package com.rock8s.integration.operator.embedded;

import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.mockwebserver.crud.Attribute;
import io.fabric8.mockwebserver.crud.AttributeSet;
import io.fabric8.mockwebserver.crud.AttributeType;
import io.fabric8.mockwebserver.crud.CrudDispatcher;
import io.fabric8.mockwebserver.crud.Value;
import io.fabric8.mockwebserver.http.MockResponse;
import java.lang.reflect.Field;
import java.util.AbstractMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * fabric8's CRUD dispatcher with objects looked up by name instead of by a scan of the whole store.
 *
 * <p>Stands for the real API server's keyed storage: etcd finds {@code /registry/<resource>/<namespace>/<name>} without
 * reading every other object. fabric8's mock matches every stored object's attributes on each create, update, patch
 * and single-object read, and copies the whole store for each read, so its cost per request grows with the number of
 * objects: with 10,000 plugs in a load test it fell below 3 couplings/s and was 90 % of the API process's CPU. Here the
 * store keeps an index from an object's name to the objects carrying it, and a request that names one object only
 * matches those. What matches, and what is answered, are unchanged: the same attribute sets are compared with the
 * mock's own {@link AttributeSet#matches}, under the mock's own lock. Reading or deleting one named object runs the
 * mock's own code, whose scan then sees only the objects carrying that name. Lists, watches and selectors still scan
 * the whole store.
 */
final class IndexedCrudDispatcher extends KubernetesCrudDispatcher {
    private static final String NAME = "name";
    private static final String ANY = "*";

    private final NameIndexedStore store = new NameIndexedStore();

    IndexedCrudDispatcher() {
        try {
            // The mock reads and writes its store only through this field, so the index sees every change.
            Field map = CrudDispatcher.class.getDeclaredField("map");
            map.setAccessible(true);
            map.set(this, store);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("fabric8's CrudDispatcher no longer has the field 'map'", e);
        }
    }

    @Override
    public Map.Entry<AttributeSet, String> findResource(AttributeSet query) {
        return narrowed(singleName(query), () -> super.findResource(query));
    }

    @Override
    public MockResponse handleGet(String path) {
        // A query string may ask for a watch or a selector: those take the mock's path unchanged.
        return narrowed(nameIn(path), () -> super.handleGet(path));
    }

    @Override
    public MockResponse handleDelete(String path) {
        return narrowed(nameIn(path), () -> super.handleDelete(path));
    }

    /**
     * Runs the mock's own code (its locking, finalizers, deletionTimestamp, watch events, response) while its scan of
     * the store on this thread sees only the objects carrying {@code name}, the only ones a query naming it can match.
     * The mock's lock matters: an update replaces an object's entry in two steps, and a read between them would miss
     * it.
     */
    private <T> T narrowed(Value name, Supplier<T> mock) {
        if (name == null) {
            return mock.get();
        }
        Value outer = store.narrowTo(name);
        try {
            return mock.get();
        } finally {
            store.narrowTo(outer);
        }
    }

    private Value nameIn(String path) {
        return path.indexOf('?') < 0 ? singleName(getAttributeExtractor().fromPath(path)) : null;
    }

    /** The one value an equality condition on the name asks for, or {@code null} when the query is anything else. */
    private static Value singleName(AttributeSet query) {
        Attribute name = query.getAttribute(NAME);
        if (name == null || name.getType() != AttributeType.WITH || name.getValues().size() != 1) {
            return null;
        }
        Value value = name.getValues().get(0);
        return ANY.equals(value.toString()) ? null : value;
    }

    /**
     * The mock's store, a {@link LinkedHashMap} as before, plus the name index. The mock changes it only with
     * {@code put}, {@code remove} and {@code clear} under its write lock and reads it through {@code entrySet} under
     * its read lock, so the index needs no lock of its own.
     */
    private static final class NameIndexedStore extends LinkedHashMap<AttributeSet, String> {
        private final transient Map<Value, Set<AttributeSet>> byName = new HashMap<>();
        /** Set while this thread reads or deletes one named object: {@link #entrySet} then holds only its namesakes. */
        private final transient ThreadLocal<Value> narrowed = new ThreadLocal<>();

        /** Narrows this thread's view to {@code name} ({@code null}: the whole store); answers the previous one. */
        Value narrowTo(Value name) {
            Value previous = narrowed.get();
            if (name == null) {
                narrowed.remove();
            } else {
                narrowed.set(name);
            }
            return previous;
        }

        @Override
        public Set<Map.Entry<AttributeSet, String>> entrySet() {
            Value name = narrowed.get();
            if (name == null) {
                return super.entrySet();
            }
            Set<Map.Entry<AttributeSet, String>> namesakes = new LinkedHashSet<>();
            for (AttributeSet key : byName.getOrDefault(name, Set.of())) {
                namesakes.add(new AbstractMap.SimpleImmutableEntry<>(key, get(key)));
            }
            return namesakes;
        }

        @Override
        public String put(AttributeSet key, String value) {
            Value name = storedName(key);
            if (name != null) {
                byName.computeIfAbsent(name, n -> new LinkedHashSet<>()).add(key);
            }
            return super.put(key, value);
        }

        @Override
        public void putAll(Map<? extends AttributeSet, ? extends String> entries) {
            entries.forEach(this::put);
        }

        @Override
        public String remove(Object key) {
            if (key instanceof AttributeSet attributes && containsKey(key)) {
                Value name = storedName(attributes);
                Set<AttributeSet> named = name == null ? null : byName.get(name);
                if (named != null) {
                    named.remove(attributes);
                    if (named.isEmpty()) {
                        byName.remove(name);
                    }
                }
            }
            return super.remove(key);
        }

        @Override
        public void clear() {
            byName.clear();
            super.clear();
        }

        private static Value storedName(AttributeSet attributes) {
            Attribute name = attributes.getAttribute(NAME);
            List<Value> values = name == null ? List.of() : name.getValues();
            return values.size() == 1 ? values.get(0) : null;
        }
    }
}

package dev.cloudops.bench;

import java.lang.reflect.Array;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The AWS SDK clients a handler holds, found by walking its object graph: every object reachable through
 * the fields of this project's classes (and the collections, maps, arrays, optionals and atomic
 * references among them) that implements the SDK's {@code SdkClient}, named by its service interface
 * (e.g. {@code software.amazon.awssdk.services.dynamodb.DynamoDbClient}). Only names and reflection: it
 * runs beside {@link HelloHandler} too, where there is no SDK on the classpath.
 */
final class BuiltClients {

    private static final String SDK_CLIENT = "software.amazon.awssdk.core.SdkClient";

    private BuiltClients() {
    }

    static Set<String> of(Object root) {
        Set<String> found = new TreeSet<>();
        Set<Object> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        Deque<Object> todo = new ArrayDeque<>();
        todo.add(root);
        while (!todo.isEmpty()) {
            Object o = todo.poll();
            if (o == null || !seen.add(o)) {
                continue;
            }
            Class<?> type = o.getClass();
            if (isSdkClient(type)) {
                found.add(serviceInterface(type));
                continue;
            }
            if (o instanceof Collection<?> c) {
                todo.addAll(c);
            } else if (o instanceof Map<?, ?> m) {
                todo.addAll(m.values());
            } else if (o instanceof Optional<?> opt) {
                opt.ifPresent(todo::add);
            } else if (o instanceof AtomicReference<?> ref) {
                todo.add(ref.get());
            } else if (type.isArray() && !type.getComponentType().isPrimitive()) {
                for (int i = 0; i < Array.getLength(o); i++) {
                    todo.add(Array.get(o, i));
                }
            } else if (type.getName().startsWith("dev.cloudops.")) {
                for (Class<?> t = type; t != null && t.getName().startsWith("dev.cloudops."); t = t.getSuperclass()) {
                    for (Field f : t.getDeclaredFields()) {
                        if (Modifier.isStatic(f.getModifiers()) || f.getType().isPrimitive()) {
                            continue;
                        }
                        try {
                            f.setAccessible(true);
                            todo.add(f.get(o));
                        } catch (ReflectiveOperationException | RuntimeException e) {
                            // not readable from here: not ours to walk
                        }
                    }
                }
            }
        }
        return found;
    }

    private static boolean isSdkClient(Class<?> type) {
        for (Class<?> t = type; t != null; t = t.getSuperclass()) {
            for (Class<?> i : t.getInterfaces()) {
                if (i.getName().equals(SDK_CLIENT) || isSdkClient(i)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The service's public client interface, wherever in the hierarchy (S3's cross-region client is a delegate). */
    private static String serviceInterface(Class<?> type) {
        for (Class<?> t = type; t != null; t = t.getSuperclass()) {
            for (Class<?> i : t.getInterfaces()) {
                if (i.getName().startsWith("software.amazon.awssdk.services.") && !i.getName().contains(".internal.")
                        && i.getSimpleName().endsWith("Client")) {
                    return i.getName();
                }
            }
        }
        return type.getName();
    }
}

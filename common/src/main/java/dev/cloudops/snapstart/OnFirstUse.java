package dev.cloudops.snapstart;

import java.util.Objects;
import java.util.function.Supplier;

/**
 * A part of a function's wiring that only some invocations need, with the SDK clients only it uses: built
 * on its first use, or by SnapStart priming before the snapshot, whichever comes first. Thread-safe.
 */
public final class OnFirstUse<T> implements Supplier<T> {

    private final String name;
    private final Supplier<? extends T> build;
    private volatile T built;

    /** @param name what it is, for logs ("investigator") */
    public OnFirstUse(String name, Supplier<? extends T> build) {
        this.name = Objects.requireNonNull(name, "name");
        this.build = Objects.requireNonNull(build, "build");
    }

    @Override
    public T get() {
        T value = built;
        if (value == null) {
            synchronized (this) {
                value = built;
                if (value == null) {
                    value = Objects.requireNonNull(build.get(), name);
                    built = value;
                }
            }
        }
        return value;
    }

    public boolean isBuilt() {
        return built != null;
    }

    @Override
    public String toString() {
        return name;
    }
}

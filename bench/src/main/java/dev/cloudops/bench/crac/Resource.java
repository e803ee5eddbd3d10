package dev.cloudops.bench.crac;

/** What org.crac wraps each registered resource in. */
public interface Resource {

    void beforeCheckpoint(Context context) throws Exception;

    void afterRestore(Context context) throws Exception;
}

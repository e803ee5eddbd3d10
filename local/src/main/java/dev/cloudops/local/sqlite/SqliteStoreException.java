package dev.cloudops.local.sqlite;

import dev.cloudops.CloudopsException;

/** The local database could not be opened, read or written (or held a row that cannot be read back). */
public final class SqliteStoreException extends CloudopsException {

    SqliteStoreException(String message, Throwable cause) {
        super(message, cause);
    }

    SqliteStoreException(String message) {
        super(message);
    }
}

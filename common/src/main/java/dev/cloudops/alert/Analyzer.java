package dev.cloudops.alert;

import java.util.Locale;

/** Which analyser wrote an alert's report and plan; stored in lower case. */
public enum Analyzer {
    BEDROCK, RULES;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Analyzer fromWire(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }
}

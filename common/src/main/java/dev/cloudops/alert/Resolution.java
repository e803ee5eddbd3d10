package dev.cloudops.alert;

import java.util.Locale;

/** Why an alert was closed; stored in lower case ({@code remediated}, ...). */
public enum Resolution {
    REMEDIATED, RECOVERED, EXPIRED, REJECTED;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Resolution fromWire(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }
}

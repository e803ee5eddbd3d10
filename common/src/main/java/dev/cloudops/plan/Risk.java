package dev.cloudops.plan;

/** How much a step can hurt if it is wrong. */
public enum Risk {
    LOW, MEDIUM, HIGH
}

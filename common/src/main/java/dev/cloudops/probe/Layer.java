package dev.cloudops.probe;

/** The layers a probe checks, in order; it stops at the first that fails. */
public enum Layer {
    DNS, TCP, TLS, HTTP
}

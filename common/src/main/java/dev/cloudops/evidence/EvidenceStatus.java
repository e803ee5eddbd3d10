package dev.cloudops.evidence;

/** How the read behind an evidence item went; anything but OK is itself evidence. */
public enum EvidenceStatus {
    OK, NOT_FOUND, ACCESS_DENIED, THROTTLED, ERROR
}

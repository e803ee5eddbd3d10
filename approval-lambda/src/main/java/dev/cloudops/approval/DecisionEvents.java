package dev.cloudops.approval;

/** Told about every decision this function recorded (not about refusals or lost races), to notify people. */
public interface DecisionEvents {

    /** Nobody to tell. */
    DecisionEvents NONE = decision -> { };

    /** An Approved, PartiallyApproved, Rejected or (newly) Expired decision that was just stored. */
    void recorded(Decision decision);
}

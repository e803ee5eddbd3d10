package dev.cloudops.approval.auth;

/** How people prove who they are: signed in through Cognito (verified), or holding a signed review link. */
public enum AuthMode {
    COGNITO, LINK
}

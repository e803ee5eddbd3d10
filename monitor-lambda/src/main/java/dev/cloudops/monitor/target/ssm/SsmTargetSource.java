package dev.cloudops.monitor.target.ssm;

import dev.cloudops.monitor.target.TargetSource;
import software.amazon.awssdk.services.ssm.SsmClient;

/** Reads the target document from one SSM parameter (String or SecureString). */
public final class SsmTargetSource implements TargetSource {

    private final SsmClient ssm;
    private final String name;

    public SsmTargetSource(SsmClient ssm, String name) {
        this.ssm = ssm;
        this.name = name;
    }

    @Override
    public String read() {
        return ssm.getParameter(b -> b.name(name).withDecryption(true)).parameter().value();
    }

    @Override
    public String describe() {
        return "SSM parameter " + name;
    }
}

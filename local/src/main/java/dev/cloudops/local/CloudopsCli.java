package dev.cloudops.local;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The local runner's command line: {@code check}, {@code serve}, {@code demo}, {@code audit}, {@code replay} and
 * {@code runbooks}. */
@Command(name = "cloudops-local", mixinStandardHelpOptions = true, version = "cloudops-local 0.1.0",
        subcommands = {CheckCommand.class, ServeCommand.class, DemoCommand.class, AuditCommand.class,
                ReplayCommand.class, RunbooksCommand.class},
        description = "Runs the cloudops-agent pipeline on this machine.")
public final class CloudopsCli implements Runnable {

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(new CommandLine(new CloudopsCli()).execute(args));
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "name a command: check, serve, demo, audit, replay or runbooks");
    }
}

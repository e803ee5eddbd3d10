package dev.cloudops.local;

import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code serve --config FILE}: runs the whole pipeline until stopped. */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Probe the configured targets on a schedule and run the whole pipeline: analysis, "
                + "notifications, the review portal and execution after approval (a dry run without AWS credentials).")
final class ServeCommand implements Callable<Integer> {

    @Option(names = "--config", required = true, paramLabel = "FILE", description = "configuration file (see examples/cloudops.yaml)")
    private Path config;

    @Override
    public Integer call() throws InterruptedException {
        LocalConfig loaded = LocalConfig.load(config);
        return run(loaded);
    }

    /** Starts the pipeline, prints where the portal is, and blocks until the process is stopped. */
    static int run(LocalConfig config) throws InterruptedException {
        return run(config, LocalPipeline.start(config, Clock.systemUTC(), System.out));
    }

    /** Prints where the started {@code pipeline}'s portal is, and blocks until the process is stopped. */
    static int run(LocalConfig config, LocalPipeline pipeline) throws InterruptedException {
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            pipeline.close();
            stopped.countDown();
        }));
        System.out.println("cloudops-local is running; review portal at " + pipeline.portalUrl()
                + (pipeline.dryRun() ? " (no AWS credentials: evidence from probes, executions are dry runs)" : ""));
        System.out.println("data in " + config.dataDir() + "; probing every " + config.probeInterval().toSeconds()
                + " s; stop with Ctrl-C");
        stopped.await();
        return 0;
    }
}

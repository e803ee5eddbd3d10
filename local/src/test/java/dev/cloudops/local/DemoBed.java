package dev.cloudops.local;

import dev.cloudops.local.demo.DemoCloud;
import dev.cloudops.local.demo.DemoResolver;
import dev.cloudops.local.demo.DemoSite;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;

/**
 * The demo as {@code demo} starts it, in a test's folder: the broken site, the probe sites' resolvers (site-c's has
 * lost the status page's name), the demo account, and the pipeline opened on the generated configuration with the
 * demo account's credentials, with nothing scheduled (tests run probe rounds themselves).
 */
final class DemoBed implements AutoCloseable {

    final DemoSite site;
    final DemoResolver resolver;
    final DemoResolver broken;
    final DemoCloud cloud;
    final LocalConfig config;
    final LocalPipeline pipeline;

    /** Starts it all in {@code dir}, the pipeline's console written to {@code console}. */
    DemoBed(Path dir, OutputStream console) throws IOException {
        site = DemoSite.start(dir.resolve("site"));
        resolver = DemoResolver.working();
        broken = DemoResolver.losing(site.statusUrl().getHost());
        cloud = DemoCloud.start(site, Clock.systemUTC());
        Path file = dir.resolve("cloudops.yaml");
        Files.writeString(file, DemoCommand.config(site, 0, resolver, broken, cloud));
        config = LocalConfig.load(file);
        pipeline = LocalPipeline.open(config, Optional.of(DemoCloud.CREDENTIALS), Clock.systemUTC(),
                new PrintStream(console, true, StandardCharsets.UTF_8));
    }

    @Override
    public void close() {
        pipeline.close();
        cloud.close();
        site.close();
        resolver.close();
        broken.close();
    }
}

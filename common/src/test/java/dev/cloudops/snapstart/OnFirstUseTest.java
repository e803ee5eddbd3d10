package dev.cloudops.snapstart;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class OnFirstUseTest {

    @Test
    void get_buildsOnce_evenWhenManyAskAtOnce() throws Exception {
        AtomicInteger builds = new AtomicInteger();
        CountDownLatch start = new CountDownLatch(1);
        OnFirstUse<Object> part = new OnFirstUse<>("part", () -> {
            builds.incrementAndGet();
            return new Object();
        });
        assertThat(part.isBuilt()).isFalse();

        List<Object> got;
        try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
            List<Future<Object>> futures = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                futures.add(pool.submit(() -> {
                    start.await();
                    return part.get();
                }));
            }
            start.countDown();
            got = new ArrayList<>();
            for (Future<Object> f : futures) {
                got.add(f.get());
            }
        }

        assertThat(builds).hasValue(1);
        assertThat(got).allSatisfy(o -> assertThat(o).isSameAs(part.get()));
        assertThat(part.isBuilt()).isTrue();
        assertThat(part).hasToString("part");
    }
}

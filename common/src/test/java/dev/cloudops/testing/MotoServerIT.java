package dev.cloudops.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The moto launcher itself: it serves AWS calls and its control API, and refuses a bad control call loudly. */
@ExtendWith(Emulators.class)
class MotoServerIT {

    @Test
    void servesAwsApis_onItsLoopbackEndpoint(MotoServer moto) {
        String bucket = "moto-launcher-check";
        moto.clients().s3().createBucket(b -> b.bucket(bucket));

        assertThat(moto.endpoint().getHost()).isEqualTo("127.0.0.1");
        assertThat(moto.clients().s3().listBuckets().buckets()).anySatisfy(b -> assertThat(b.name()).isEqualTo(bucket));
    }

    @Test
    void control_failsWithMotosAnswer_onAnUnknownPath(MotoServer moto) {
        assertThatThrownBy(() -> moto.control("/moto-api/no-such-thing", "{}"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("/moto-api/no-such-thing");
    }
}

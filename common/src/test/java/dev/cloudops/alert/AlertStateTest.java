package dev.cloudops.alert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class AlertStateTest {

    @Test
    void everyState_isStoredAsADistinctStatusPair_andReadBackFromIt() {
        for (AlertState state : AlertState.values()) {
            assertThat(AlertState.of(state.approvalStatus(), state.executionStatus())).isEqualTo(state);
        }
        assertThat(Arrays.stream(AlertState.values()).map(s -> s.approvalStatus() + "/" + s.executionStatus())
                .distinct()).hasSize(AlertState.values().length);
    }

    @Test
    void of_rejectsAPairNoStateUses() {
        assertThatThrownBy(() -> AlertState.of(ApprovalStatus.REJECTED, ExecutionStatus.COMPLETED))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("REJECTED").hasMessageContaining("COMPLETED");
    }

    @Test
    void onlyTheEndsOfTheLifecycle_areTerminal() {
        assertThat(Arrays.stream(AlertState.values()).filter(AlertState::isTerminal)).containsExactlyInAnyOrder(
                AlertState.COMPLETED, AlertState.FAILED, AlertState.ROLLED_BACK, AlertState.REJECTED,
                AlertState.EXPIRED, AlertState.RESOLVED);
    }
}

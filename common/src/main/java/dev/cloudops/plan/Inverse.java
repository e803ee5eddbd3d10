package dev.cloudops.plan;

import java.util.Objects;

/** How a step is undone when the fix does not work: another catalog action, or not at all (and why). */
public sealed interface Inverse {

    record Undo(Action action) implements Inverse {
        public Undo {
            Objects.requireNonNull(action, "action");
        }
    }

    record Irreversible(String reason) implements Inverse {
        public Irreversible {
            if (reason == null || reason.isBlank()) {
                throw new IllegalArgumentException("an irreversible step must say why");
            }
        }
    }
}

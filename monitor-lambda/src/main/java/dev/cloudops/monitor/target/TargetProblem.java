package dev.cloudops.monitor.target;

import java.util.List;

/** Why one entry of the target document was not accepted, and where it is (index and line). */
public record TargetProblem(String position, List<String> reasons) {

    public TargetProblem {
        reasons = List.copyOf(reasons);
    }

    @Override
    public String toString() {
        return position + ": " + String.join("; ", reasons);
    }
}

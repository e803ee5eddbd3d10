package dev.cloudops.monitor.target;

import java.net.URI;
import java.util.List;
import java.util.Optional;

/** The valid targets of a document, and the problems of the entries that were left out. */
public record TargetList(List<Target> targets, List<TargetProblem> problems) {

    public TargetList {
        targets = List.copyOf(targets);
        problems = List.copyOf(problems);
    }

    public Optional<Target> find(URI url) {
        String wanted = TargetDocument.normalise(url);
        return targets.stream().filter(t -> TargetDocument.normalise(t.url()).equals(wanted)).findFirst();
    }
}

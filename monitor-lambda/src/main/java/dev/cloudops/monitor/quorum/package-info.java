/**
 * Multi-region quorum (issue 24), first increment: the core that a multi-region monitor will stand on. Each
 * region's monitor records its latest probe observation per target ({@link dev.cloudops.monitor.quorum.RegionalObservation},
 * stored through {@link dev.cloudops.monitor.quorum.RegionalObservations}); {@link dev.cloudops.monitor.quorum.Quorum}
 * decides from the latest observation of each known region whether a failure is seen from enough places
 * ({@link dev.cloudops.monitor.quorum.QuorumPolicy}: Q of N regions within a window) to become an alert; and
 * the region that finds a quorum failure first wins the one claim on it
 * ({@link dev.cloudops.monitor.quorum.Quorum#claimFingerprint}, claimed through the existing
 * {@link dev.cloudops.monitor.dedupe.OpenAlertClaims}), so exactly one alert is raised however many regions
 * evaluate the same failure at once.
 *
 * <p>It lives in monitor-lambda, not common: only the monitor function probes and decides whether a failure is
 * an alert; the approval and execution functions never read observations (STYLE: common holds only what two or
 * more functions share).
 *
 * <p>Wired (second increment): {@code MonitorConfig} reads {@code PROBE_REGION}, {@code PROBE_REGIONS},
 * {@code QUORUM} and {@code QUORUM_WINDOW}; {@code RegionalQuorum} records each finished probe's observation and
 * evaluates the quorum where a confirmed failure would raise an alert ({@code ProbeRound}); a {@code Regional}
 * verdict is reported as the action {@code REGIONAL} instead of an alert. The alert of a quorum failure is claimed
 * through the existing per-domain-and-issue fingerprint ({@code OpenAlerts}), not {@link
 * dev.cloudops.monitor.quorum.Quorum#claimFingerprint}: see {@code RegionalQuorum}. With one region nothing is read
 * or written. The template, the local runner and the docs do not set these variables yet.
 */
package dev.cloudops.monitor.quorum;

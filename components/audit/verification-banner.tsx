import type { StoredVerification } from "@/lib/audit/verification";
import { formatRelative } from "@/lib/format/date";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { When } from "@/components/data-table/date-text";

/**
 * The chain's last verification: when, whether every link and checkpoint held, the head it
 * reached and the checkpoints it was held against; each problem in words when it did not hold.
 * `action` is the "Verify now" control. Before and after the first verification the tree has
 * the same shape, so that the control keeps its state (the answer it shows) when the page
 * re-renders with the verification it just recorded.
 */
export function VerificationBanner({
  verification,
  now,
  action,
}: {
  verification: StoredVerification | null;
  now: number;
  action: React.ReactNode;
}) {
  const failed = verification !== null && !verification.ok;
  return (
    <Alert
      className="mb-4"
      variant={failed ? "destructive" : "default"}
      role="status"
      aria-label="Audit chain verification"
    >
      <AlertTitle className="line-clamp-none">
        {!verification
          ? "The audit chain has not been verified yet"
          : verification.ok
            ? "The audit chain verified: no event was changed, removed or reordered"
            : "The audit chain did not verify"}
      </AlertTitle>
      <AlertDescription>
        {verification ? (
          <LastVerification verification={verification} now={now} />
        ) : (
          <p>
            Verify it now to check every event&apos;s hash and link, and the signed checkpoints.
          </p>
        )}
        {failed ? (
          <ul aria-label="Problems found" className="list-disc pl-5">
            {verification.problems.map((problem, index) => (
              <li key={`${problem.kind}-${problem.seq}-${index}`}>{problem.message}</li>
            ))}
            {verification.moreProblems > 0 ? (
              <li>and {verification.moreProblems.toLocaleString("en")} more problems</li>
            ) : null}
          </ul>
        ) : null}
        {action}
      </AlertDescription>
    </Alert>
  );
}

function LastVerification({
  verification,
  now,
}: {
  verification: StoredVerification;
  now: number;
}) {
  const { head, lastCheckpoint } = verification;
  return (
    <p>
      Verified <When value={verification.at} now={now} withTime relative="inline" />:{" "}
      {verification.events.toLocaleString("en")} events up to event {head.seq} (hash{" "}
      <code className="font-mono" title={head.hash}>
        {head.hash.slice(0, 12)}
      </code>
      ), against {verification.checkpoints.toLocaleString("en")} signed checkpoint
      {verification.checkpoints === 1 ? "" : "s"}
      {lastCheckpoint
        ? `; the last signed event ${lastCheckpoint.seq}, ${formatRelative(lastCheckpoint.at, now)}`
        : ""}
      .
    </p>
  );
}

import { formatUtc, formatUtcDate } from "@/lib/format/date";
import { describePolicy } from "@/lib/rotation/policy";
import { previewRotations, termsOfChange, type PolicyChange } from "@/lib/rotation/policy-draft";

/** What the policy being typed would do to this key: its words and its next rotations. */
export function RotationPreview({
  policy,
  current,
  now,
}: {
  /** Null while the form holds a value the policy cannot take. */
  policy: PolicyChange | null;
  current: { createdAt: number; expiresAt: number | null };
  now: number;
}) {
  if (!policy)
    return (
      <p className="text-muted-foreground">
        The preview shows once every value is one Managed HSM accepts.
      </p>
    );
  const preview = previewRotations(policy, current, now);
  const words = describePolicy(termsOfChange(policy));
  return (
    <div className="flex flex-col gap-2">
      <p>{words}</p>
      {preview.rotations.length > 0 ? (
        <>
          <p className="text-muted-foreground">
            {preview.dueNow
              ? "Next rotations, were the policy set today:"
              : `Next rotations, counted from the current version (made ${formatUtcDate(current.createdAt)}):`}
          </p>
          <ol aria-label="Next rotations" className="flex list-decimal flex-col gap-1 pl-5">
            {preview.rotations.map((rotation, index) => (
              <li key={rotation.at}>
                <time dateTime={new Date(rotation.at).toISOString()}>
                  {index === 0 && preview.dueNow
                    ? "As soon as the policy is set"
                    : formatUtc(rotation.at)}
                </time>
                <span className="text-muted-foreground">
                  {rotation.newVersionExpiresAt === null
                    ? " — the new version never expires"
                    : ` — the new version expires ${formatUtcDate(rotation.newVersionExpiresAt)}`}
                </span>
              </li>
            ))}
          </ol>
        </>
      ) : null}
      {preview.dueNow ? (
        <p className="text-warning">
          The current version is older than the trigger: the HSM rotates the key as soon as the
          policy is set (once the request is approved), and counts on from that rotation.
        </p>
      ) : null}
      {preview.none === "no-trigger" ? (
        <p className="text-muted-foreground">
          The key rotates only when someone files “Rotate now”.
        </p>
      ) : preview.none === "current-never-expires" ? (
        <p className="text-warning">
          The current version never expires, so a trigger before expiry never fires for it: rotate
          it once to get a version that expires.
        </p>
      ) : preview.none === "current-expires-first" && preview.currentExpiresAt !== null ? (
        <p className="text-warning">
          The current version {preview.currentExpiresAt <= now ? "expired" : "expires"}{" "}
          {formatUtc(preview.currentExpiresAt)}, before the policy would rotate it.
        </p>
      ) : null}
    </div>
  );
}

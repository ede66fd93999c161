import { HEALTH_LABELS, type HealthSection } from "@/lib/calendar/health";
import type { KeyHealthRow } from "@/lib/calendar/load";
import type { HealthKind } from "@/lib/rotation/schedule";
import { KeyNameLink } from "@/components/hsm/key-href";

/**
 * The rotation and expiry findings per kind, each key linked; the worst kinds first. A long list
 * shows its first keys and links to itself in full (the calendar's `health` parameter), so that
 * the rows are exactly the panel's, under the same HSM and owner filters.
 */
export function HealthPanel({
  sections,
  hrefFor,
}: {
  /** healthSections of the findings, with the kind the viewer asked for listed in full. */
  sections: readonly HealthSection<KeyHealthRow>[];
  /** The calendar's URL with a kind listed in full, or none. */
  hrefFor: (kind: HealthKind | undefined) => string;
}) {
  return (
    <div className="flex flex-col gap-4 text-sm">
      {sections.map((section) => (
        <section
          key={section.kind}
          id={`health-${section.kind}`}
          aria-labelledby={`health-${section.kind}-title`}
          className="scroll-mt-20"
        >
          <h3 id={`health-${section.kind}-title`} className="mb-1 font-medium">
            {HEALTH_LABELS[section.kind]} ({section.total})
          </h3>
          <ul className="flex flex-col gap-0.5">
            {section.rows.map((row) => (
              <li
                key={`${row.hsm}/${row.name}`}
                title={row.finding.detail}
                className="[overflow-wrap:anywhere]"
              >
                <KeyNameLink hsm={row.hsm} name={row.name} />{" "}
                <span className="text-xs text-muted-foreground">{row.hsm}</span>
              </li>
            ))}
          </ul>
          {section.hidden > 0 ? (
            <p className="text-xs text-muted-foreground">
              and {section.hidden} more —{" "}
              <a
                href={`${hrefFor(section.kind)}#health-${section.kind}`}
                className="ui-link text-foreground underline"
              >
                list all {section.total}
                <span className="sr-only"> ({HEALTH_LABELS[section.kind].toLowerCase()})</span>
              </a>
            </p>
          ) : null}
          {section.expanded ? (
            <p className="text-xs">
              <a
                href={`${hrefFor(undefined)}#health-${section.kind}`}
                className="ui-link underline"
              >
                Show fewer
                <span className="sr-only"> ({HEALTH_LABELS[section.kind].toLowerCase()})</span>
              </a>
            </p>
          ) : null}
        </section>
      ))}
      {sections.length === 0 ? (
        <p className="text-muted-foreground">No rotation or expiry findings.</p>
      ) : null}
    </div>
  );
}

"use client";

import { groupActions } from "@/lib/access/action-groups";
import { DATA_ACTIONS, describeAction, type DataAction } from "@/lib/access/actions";
import { FieldDescription, FieldError, FieldLegend, FieldSet } from "@/components/ui/field";

const GROUPS = groupActions(Object.keys(DATA_ACTIONS));

/**
 * The data actions as a checklist in words, grouped (key management, cryptographic use, …),
 * each with its id in small type. An action a kept wildcard already grants is shown ticked and
 * cannot be unticked here; one the role's not-data actions exclude says so.
 */
export function ActionChecklist({
  id,
  selected,
  granted,
  excluded,
  error,
  onChange,
}: {
  id: string;
  selected: readonly DataAction[];
  /** Granted by the role's kept wildcards. */
  granted: ReadonlySet<string>;
  /** Taken away by the role's not-data actions. */
  excluded: ReadonlySet<string>;
  error: string | undefined;
  onChange: (selected: DataAction[]) => void;
}) {
  const ticked = new Set<string>(selected);
  const toggle = (action: DataAction, on: boolean) =>
    onChange(
      (Object.keys(DATA_ACTIONS) as DataAction[]).filter((a) =>
        a === action ? on : ticked.has(a),
      ),
    );

  return (
    <FieldSet aria-describedby={`${id}-hint ${id}-error`}>
      <FieldLegend>Data actions</FieldLegend>
      <FieldDescription id={`${id}-hint`}>
        What the role allows on the keys it is assigned for. Tick only what its holders need.
      </FieldDescription>
      <div className="flex flex-col gap-4 rounded-md border p-3 sm:max-h-80 sm:overflow-y-auto">
        {GROUPS.map((group) => {
          const count = group.actions.filter((a) => ticked.has(a) || granted.has(a)).length;
          return (
            <fieldset
              key={group.id}
              aria-describedby={`${id}-${group.id}-hint`}
              className="flex min-w-0 flex-col gap-2"
            >
              <legend className="text-sm font-medium">
                {group.title}{" "}
                <span className="font-normal text-muted-foreground">
                  ({count} of {group.actions.length})
                </span>
              </legend>
              <p id={`${id}-${group.id}-hint`} className="-mt-1 text-xs text-muted-foreground">
                {group.hint}
              </p>
              <ul className="grid gap-x-4 gap-y-2 sm:grid-cols-2">
                {group.actions.map((action) => {
                  const box = `${id}-${action.replaceAll("/", "-")}`;
                  const viaWildcard = granted.has(action);
                  const note = viaWildcard
                    ? " · granted by a wildcard the role keeps"
                    : excluded.has(action) && ticked.has(action)
                      ? " · excluded by the role's not-data actions"
                      : "";
                  return (
                    <li key={action} className="flex min-w-0 items-start gap-2">
                      <input
                        id={box}
                        type="checkbox"
                        className="mt-0.5 size-4 shrink-0 accent-primary"
                        checked={viaWildcard || ticked.has(action)}
                        disabled={viaWildcard}
                        aria-describedby={`${box}-id`}
                        aria-invalid={error ? true : undefined}
                        onChange={(event) => toggle(action as DataAction, event.target.checked)}
                      />
                      <div className="min-w-0">
                        <label htmlFor={box} className="text-sm leading-snug">
                          {describeAction(action)}
                        </label>
                        <p
                          id={`${box}-id`}
                          className="font-mono text-xs [overflow-wrap:anywhere] text-muted-foreground"
                        >
                          {action}
                          {note ? <span className="font-sans">{note}</span> : null}
                        </p>
                      </div>
                    </li>
                  );
                })}
              </ul>
            </fieldset>
          );
        })}
      </div>
      <FieldError id={`${id}-error`}>{error}</FieldError>
    </FieldSet>
  );
}

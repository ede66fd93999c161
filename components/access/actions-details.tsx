import { describeAction } from "@/lib/access/actions";

/** What a principal can do: the summary in words, expanding to every data action. */
export function ActionsDetails({ can, actions }: { can: string[]; actions: string[] }) {
  return (
    <details>
      <summary className="cursor-pointer">{can.join(", ") || "nothing"}</summary>
      <ul className="mt-1 list-disc pl-5 text-xs text-muted-foreground">
        {actions.map((action) => (
          <li key={action}>{describeAction(action)}</li>
        ))}
      </ul>
    </details>
  );
}

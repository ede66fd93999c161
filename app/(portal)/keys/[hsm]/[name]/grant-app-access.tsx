"use client";

import { useEffect, useState } from "react";
import { KeySquareIcon } from "lucide-react";

import { fieldByMember } from "@/lib/requests/field-errors";
import { GRANT_DURATIONS } from "@/lib/self-service/grant-durations";
import { approvalsInWords } from "@/lib/templates/describe";
import { Field, FieldDescription, FieldError, FieldLabel } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { NativeSelect, NativeSelectOptions } from "@/components/ui/native-select";
import { ActionDialog } from "@/components/requests/action-dialog";
import { RequestForm } from "@/components/requests/request-form";

type FormField = "principal" | "role" | "duration";
interface Principal {
  id: string;
  displayName: string;
  appId: string | null;
}

const itemFieldOf = fieldByMember<FormField>(
  { principalId: "principal", roleDefinitionId: "role", expiresAfter: "duration", scope: "role" },
  null,
);

/** Service principals whose name starts with what is typed, from the directory. */
function usePrincipalSearch(query: string) {
  const [found, setFound] = useState<{ principals: Principal[]; error: string | null }>({
    principals: [],
    error: null,
  });
  useEffect(() => {
    const controller = new AbortController();
    const timer = setTimeout(() => {
      fetch(`/api/principals?kind=servicePrincipal&q=${encodeURIComponent(query.trim())}`, {
        signal: controller.signal,
      })
        .then(async (response) => {
          const body = (await response.json()) as { principals?: Principal[]; detail?: string };
          setFound(
            response.ok
              ? { principals: body.principals ?? [], error: null }
              : {
                  principals: [],
                  error: body.detail ?? `The directory search failed (${response.status}).`,
                },
          );
        })
        .catch((error: unknown) => {
          if ((error as Error).name !== "AbortError")
            setFound({ principals: [], error: "The directory could not be searched." });
        });
    }, 250);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [query]);
  return found;
}

/**
 * "Give my application access": a key-scoped usage role for a service principal or managed
 * identity picked from the directory, permanent or for a while (then removed automatically).
 */
export function GrantAppAccess({
  hsm,
  keyName,
  roles,
  approvals,
}: {
  hsm: string;
  keyName: string;
  roles: [id: string, name: string][];
  approvals: { permanent: number; timeLimited: number };
}) {
  const [query, setQuery] = useState("");
  const [principal, setPrincipal] = useState<Principal | null>(null);
  const [role, setRole] = useState(roles[0]![0]);
  const [duration, setDuration] = useState("PT8H");
  const search = usePrincipalSearch(query);
  const needs = approvalsInWords(duration ? approvals.timeLimited : approvals.permanent);

  return (
    <ActionDialog
      label="Give my application access"
      icon={<KeySquareIcon aria-hidden />}
      title={`Give an application access to ${keyName}`}
      description="A role on this key alone, for an application's service principal or managed identity. A time-limited grant is removed automatically when it ends."
      wide
    >
      <RequestForm<FormField>
        id="grant-app"
        kind="role-assignment.create"
        hsm={hsm}
        build={() =>
          principal
            ? {
                item: {
                  scope: `/keys/${keyName}`,
                  roleDefinitionId: role,
                  principalId: principal.id,
                  ...(duration ? { expiresAfter: duration } : {}),
                },
              }
            : { errors: { principal: "Pick the application from the directory." } }
        }
        itemFieldOf={itemFieldOf}
        submitLabel="File the request"
      >
        {(errors) => (
          <div className="flex flex-col gap-4">
            <Field>
              <FieldLabel htmlFor="grant-app-search">Application</FieldLabel>
              <Input
                id="grant-app-search"
                value={query}
                placeholder="Start of its name, e.g. payments"
                autoComplete="off"
                spellCheck={false}
                aria-invalid={errors.principal ? true : undefined}
                aria-describedby="grant-app-search-hint grant-app-principal-error"
                onChange={(event) => setQuery(event.target.value)}
              />
              <FieldDescription id="grant-app-search-hint">
                {principal
                  ? `Chosen: ${principal.displayName}${principal.appId ? ` (app id ${principal.appId})` : ""}`
                  : "Service principals and managed identities from the directory."}
              </FieldDescription>
              {search.error ? (
                <p role="alert" className="text-sm text-destructive">
                  {search.error}
                </p>
              ) : (
                <fieldset className="flex max-h-48 flex-col gap-1 overflow-y-auto">
                  <legend className="sr-only">Matching applications</legend>
                  {search.principals.length === 0 ? (
                    <p className="text-sm text-muted-foreground">No application matches.</p>
                  ) : (
                    search.principals.map((p) => (
                      <label key={p.id} className="flex items-center gap-2 text-sm">
                        <input
                          type="radio"
                          name="grant-app-principal"
                          value={p.id}
                          checked={principal?.id === p.id}
                          onChange={() => setPrincipal(p)}
                        />
                        <span>{p.displayName}</span>
                        <span className="font-mono text-xs text-muted-foreground">
                          {p.appId ?? p.id}
                        </span>
                      </label>
                    ))
                  )}
                </fieldset>
              )}
              <FieldError id="grant-app-principal-error">{errors.principal}</FieldError>
            </Field>
            <div className="grid gap-4 md:grid-cols-2">
              <Field>
                <FieldLabel htmlFor="grant-app-role">Role</FieldLabel>
                <NativeSelect
                  id="grant-app-role"
                  value={role}
                  aria-invalid={errors.role ? true : undefined}
                  onChange={(event) => setRole(event.target.value)}
                >
                  <NativeSelectOptions options={roles} />
                </NativeSelect>
                <FieldError>{errors.role}</FieldError>
              </Field>
              <Field>
                <FieldLabel htmlFor="grant-app-duration">For how long</FieldLabel>
                <NativeSelect
                  id="grant-app-duration"
                  value={duration}
                  aria-invalid={errors.duration ? true : undefined}
                  onChange={(event) => setDuration(event.target.value)}
                >
                  <NativeSelectOptions options={GRANT_DURATIONS} />
                </NativeSelect>
                <FieldError>{errors.duration}</FieldError>
              </Field>
            </div>
            <p className="text-sm text-muted-foreground">Needs {needs}.</p>
          </div>
        )}
      </RequestForm>
    </ActionDialog>
  );
}

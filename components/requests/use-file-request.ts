"use client";

import { useState } from "react";

import { placeFieldErrors, readProblem, type PlacedErrors } from "@/lib/http/problem-text";
import type { RequestKind } from "@/lib/requests/kind-names";

/** What the confirmation needs of a request the API filed. */
export interface FiledRequest {
  id: string;
  summary: string;
  approvalsRequired: number;
}

export interface RequestBody {
  kind: RequestKind;
  /** Absent for the portal's own kinds (approval policies, key templates). */
  hsm?: string | undefined;
  justification: string;
  items: unknown[];
}

/**
 * Files a change request with `POST /api/requests`. A refusal's field errors are placed on the
 * form's fields by `fieldOf`; the rest (or a refusal without field errors) is for the whole form.
 */
export function useFileRequest<F extends string>(fieldOf: (pointer: string) => F | null) {
  const [pending, setPending] = useState(false);
  const [filed, setFiled] = useState<FiledRequest | null>(null);
  const [errors, setErrors] = useState<PlacedErrors<F>>({ fields: {}, form: null });

  async function file(body: RequestBody): Promise<void> {
    setPending(true);
    setErrors({ fields: {}, form: null });
    try {
      const response = await fetch("/api/requests", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
      });
      if (!response.ok) return setErrors(placeFieldErrors(await readProblem(response), fieldOf));
      setFiled((await response.json()) as FiledRequest);
    } catch {
      setErrors({ fields: {}, form: "The portal did not answer; nothing was filed. Try again." });
    } finally {
      setPending(false);
    }
  }

  return { file, pending, filed, errors };
}

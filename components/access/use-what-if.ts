"use client";

import { useEffect, useState } from "react";

import { readProblem } from "@/lib/http/problem-text";
import type { WhatIf } from "@/lib/sod/engine";

/** A role-assignment change as `POST /api/sod/what-if` takes it. */
export type WhatIfChange =
  | { op: "add"; hsm: string; scope: string; roleDefinitionId: string; principalId: string }
  | { op: "remove"; hsm: string; name: string };

export type WhatIfState =
  | { status: "idle" }
  | { status: "loading" }
  | { status: "done"; impact: WhatIf }
  | { status: "failed"; message: string };

/** Typing a key name or an object id changes the change at every keystroke: ask once it settles. */
const SETTLE_MS = 400;

async function askWhatIf(body: string, signal: AbortSignal): Promise<WhatIfState> {
  try {
    const response = await fetch("/api/sod/what-if", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body,
      signal,
    });
    if (!response.ok) return { status: "failed", message: (await readProblem(response)).text };
    return { status: "done", impact: (await response.json()) as WhatIf };
  } catch {
    return { status: "failed", message: "The portal did not answer." };
  }
}

/**
 * The separation-of-duties findings a change would add, resolve or change, asked again whenever
 * the change settles; null asks nothing. An answer to an earlier change is never shown for a
 * later one.
 */
export function useWhatIf(change: WhatIfChange | null): WhatIfState {
  const body = change ? JSON.stringify(change) : null;
  const [answer, setAnswer] = useState<{ body: string; state: WhatIfState } | null>(null);

  useEffect(() => {
    if (body === null) return;
    const controller = new AbortController();
    const timer = setTimeout(() => {
      void askWhatIf(body, controller.signal).then((state) => {
        if (!controller.signal.aborted) setAnswer({ body, state });
      });
    }, SETTLE_MS);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [body]);

  if (body === null) return { status: "idle" };
  return answer?.body === body ? answer.state : { status: "loading" };
}

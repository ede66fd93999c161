"use client";

import { useState, useTransition } from "react";
import type { Route } from "next";
import { useRouter } from "next/navigation";

import { readProblem } from "@/lib/http/problem-text";

/** A form field's text, trimmed; "" when the field is absent or a file. */
export function formText(form: FormData, name: string): string {
  const value = form.get(name);
  return typeof value === "string" ? value.trim() : "";
}

/**
 * Posts JSON to one of the portal's routes for a form: busy while it runs, the problem's words
 * (the first field error, else its detail) when it fails, and the page refreshed when the server
 * answers that something changed meanwhile (409), so the form shows the state as it is now.
 */
export function useJsonPost() {
  const router = useRouter();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [, startTransition] = useTransition();

  /** The answer's JSON when it succeeded; null when it failed (and `error` says why). */
  async function post(url: string, body: unknown): Promise<unknown> {
    setBusy(true);
    setError(null);
    try {
      const response = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
      });
      if (response.ok) return (await response.json()) as unknown;
      const problem = await readProblem(response);
      setError(problem.fieldErrors[0]?.detail ?? problem.text);
      if (problem.status === 409) startTransition(() => router.refresh());
      return null;
    } catch {
      setError("The portal did not answer. Try again.");
      return null;
    } finally {
      setBusy(false);
    }
  }

  const refresh = () => startTransition(() => router.refresh());
  const navigate = (href: Route) => router.push(href);
  return { busy, error, post, refresh, navigate };
}

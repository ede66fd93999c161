/*
 * Problem+json answers (RFC 9457) as client components read them: the words to show, and the
 * fields the problem blames, so a form can put each message next to its field.
 */

/** One invalid value: a JSON pointer into the input (without the URI-fragment "#") and why. */
export interface ProblemFieldError {
  pointer: string;
  detail: string;
}

export interface ProblemView {
  status: number;
  /** The problem's type URN (`urn:keyward:problem:…`), when the body had one. */
  type: string | null;
  /** The problem's detail (or its title, or the status when the body is not a problem). */
  text: string;
  /** Where to sign in again (`reauthentication-required`). */
  signInUrl: string | null;
  fieldErrors: ProblemFieldError[];
}

/** "#/items/0/size" and "/items/0/size" are the same pointer; forms compare the plain form. */
export function plainPointer(pointer: string): string {
  return pointer.startsWith("#") ? pointer.slice(1) : pointer;
}

function fieldErrorsOf(errors: unknown): ProblemFieldError[] {
  if (!Array.isArray(errors)) return [];
  return errors.flatMap((error: unknown) => {
    const { pointer, detail } = (error ?? {}) as { pointer?: unknown; detail?: unknown };
    return typeof pointer === "string" && typeof detail === "string"
      ? [{ pointer: plainPointer(pointer), detail }]
      : [];
  });
}

/** Reads a failed response's problem; a body that is not JSON still gives a message. */
export async function readProblem(response: Response): Promise<ProblemView> {
  try {
    const problem = (await response.json()) as {
      type?: unknown;
      detail?: string;
      title?: string;
      signInUrl?: unknown;
      errors?: unknown;
    };
    return {
      status: response.status,
      type: typeof problem.type === "string" ? problem.type : null,
      text: problem.detail ?? problem.title ?? `HTTP ${response.status}`,
      signInUrl: typeof problem.signInUrl === "string" ? problem.signInUrl : null,
      fieldErrors: fieldErrorsOf(problem.errors),
    };
  } catch {
    return {
      status: response.status,
      type: null,
      text: `HTTP ${response.status}`,
      signInUrl: null,
      fieldErrors: [],
    };
  }
}

/** The human-readable part of a problem+json answer, for client components. */
export async function problemText(response: Response): Promise<string> {
  return (await readProblem(response)).text;
}

/** A problem's messages placed on a form: per field, and what no field claims. */
export interface PlacedErrors<F extends string> {
  fields: Partial<Record<F, string>>;
  /** For the form as a whole; null when every message sits next to a field. */
  form: string | null;
}

/**
 * Puts each field error next to the field `fieldOf` names for its pointer (the first message
 * per field wins); errors no field claims, or a problem without field errors, go to the form.
 */
export function placeFieldErrors<F extends string>(
  problem: Pick<ProblemView, "text" | "fieldErrors">,
  fieldOf: (pointer: string) => F | null,
): PlacedErrors<F> {
  const fields: Partial<Record<F, string>> = {};
  const unplaced: string[] = [];
  for (const error of problem.fieldErrors) {
    const field = fieldOf(error.pointer);
    if (field === null) unplaced.push(error.detail);
    else fields[field] ??= error.detail;
  }
  if (problem.fieldErrors.length === 0) return { fields, form: problem.text };
  return { fields, form: unplaced.length > 0 ? problem.text : null };
}

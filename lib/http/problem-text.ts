/** A problem+json answer as client components act on it. */
export interface ClientProblem {
  status: number;
  /** The problem's type URN (`urn:keyward:problem:…`), when the body had one. */
  type: string | null;
  /** The human-readable part: `detail`, else `title`, else the status. */
  text: string;
  /** Where to sign in again (`reauthentication-required`). */
  signInUrl: string | null;
  /** The JSON pointers of the fields the problem names (`errors[].pointer`). */
  pointers: string[];
}

/** Reads an error answer of the API; a body that is not problem+json still gives its status. */
export async function readProblem(response: Response): Promise<ClientProblem> {
  const fallback = `HTTP ${response.status}`;
  try {
    const problem = (await response.json()) as {
      type?: string;
      detail?: string;
      title?: string;
      signInUrl?: string;
      errors?: { pointer?: string }[];
    };
    return {
      status: response.status,
      type: problem.type ?? null,
      text: problem.detail ?? problem.title ?? fallback,
      signInUrl: typeof problem.signInUrl === "string" ? problem.signInUrl : null,
      pointers: (problem.errors ?? []).flatMap((e) => (e.pointer ? [e.pointer] : [])),
    };
  } catch {
    return { status: response.status, type: null, text: fallback, signInUrl: null, pointers: [] };
  }
}

/** The human-readable part of a problem+json answer, for client components. */
export async function problemText(response: Response): Promise<string> {
  return (await readProblem(response)).text;
}

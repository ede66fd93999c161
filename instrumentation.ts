export async function register() {
  // register() also runs for the edge runtime, which cannot load the database drivers, and
  // during `next build`, which must not touch the database.
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  if (process.env.NEXT_PHASE === "phase-production-build") return;
  const { startPortal } = await import("@/lib/startup");
  await startPortal();
}

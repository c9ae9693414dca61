/** Runs once when the Next.js server starts (Node runtime): database migrations, provider set-up. */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { prepareServer } = await import("./lib/server-start");
  await prepareServer();
}

/** Shown while the landing page checks the providers (a slow provider must not leave the screen blank). */
export default function Loading() {
  return (
    <main className="mx-auto flex max-w-2xl flex-col gap-8 px-4 py-10 sm:px-5 sm:py-12">
      <p role="status" className="flex items-center gap-3 text-ink-muted">
        <span aria-hidden="true" className="inline-block size-4 animate-spin rounded-full border-2 border-brand border-r-transparent" />
        Loading wallet onboarding…
      </p>
    </main>
  );
}

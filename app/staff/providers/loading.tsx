export default function Loading() {
  return (
    <main className="mx-auto w-full max-w-5xl px-4 py-6">
      <p role="status">Loading providers…</p>
    </main>
  );
}

import { SessionsPanel } from "@/components/staff/sessions-panel";
import { staffPageMetadata } from "@/app/staff/page-metadata";

export const generateMetadata = staffPageMetadata("Sessions");
export const dynamic = "force-dynamic";

/** Staff: who is signed in, and ending sessions (one, or all of a wallet's). */
export default function StaffSessionsPage() {
  return (
    <main id="main" className="mx-auto flex w-full max-w-6xl flex-col gap-6 px-4 py-6">
      <div>
        <h1 className="text-2xl font-bold">Sessions</h1>
        <p className="mt-1 text-slate-700">Everyone signed in now, users and staff. Ending a session signs that browser out at once, on every app instance.</p>
      </div>
      <SessionsPanel />
    </main>
  );
}

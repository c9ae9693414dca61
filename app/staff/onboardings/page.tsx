import { Suspense } from "react";
import { OnboardingsList } from "@/components/staff/onboardings-list";
import { staffPageMetadata } from "@/app/staff/page-metadata";

export const generateMetadata = staffPageMetadata("Onboardings");

/** Staff: every onboarding, filterable and searchable, updating live. */
export default function StaffOnboardingsPage() {
  return (
    <main id="main" className="mx-auto flex w-full max-w-6xl flex-col gap-4 px-4 py-6">
      <h1 className="text-2xl font-bold">Onboardings</h1>
      <Suspense fallback={<p role="status">Loading onboardings…</p>}>
        <OnboardingsList />
      </Suspense>
    </main>
  );
}

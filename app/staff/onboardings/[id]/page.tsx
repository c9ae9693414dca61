import Link from "next/link";
import { OnboardingDetail } from "@/components/staff/onboarding-detail";
import { staffPageMetadata } from "@/app/staff/page-metadata";

export const generateMetadata = staffPageMetadata("Onboarding");

/** Staff: one onboarding with its timeline. */
export default async function StaffOnboardingPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return (
    <main id="main" className="mx-auto flex w-full max-w-6xl flex-col gap-4 px-4 py-6">
      <p>
        <Link href="/staff/onboardings" className="text-sm font-medium text-brand underline underline-offset-2">
          ← All onboardings
        </Link>
      </p>
      <OnboardingDetail id={id} />
    </main>
  );
}

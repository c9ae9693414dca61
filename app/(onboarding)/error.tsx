"use client";
/** The landing page could not be rendered (e.g. the server lost its database): say so and offer a retry. */
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";

export default function OnboardingError({ reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <main className="mx-auto flex max-w-2xl flex-col gap-8 px-4 py-10 sm:px-5 sm:py-12">
      <h1 className="text-2xl font-bold text-ink sm:text-3xl">Wallet onboarding</h1>
      <Alert tone="error" title="This page could not load" actions={<Button onClick={reset}>Try again</Button>}>
        Something went wrong on our side. Nothing was sent from your wallet; try again in a moment.
      </Alert>
    </main>
  );
}

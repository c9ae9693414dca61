"use client";
/**
 * A staff page could not be rendered: say so under the staff header (the layout stays) and offer a retry,
 * which asks the server for the page again and re-renders it.
 */
import { useRouter } from "next/navigation";
import { startTransition } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";

export default function StaffError({ reset }: { error: Error & { digest?: string }; reset: () => void }) {
  const router = useRouter();
  return (
    <main id="main" className="mx-auto flex w-full max-w-6xl flex-col gap-4 px-4 py-6">
      <h1 className="text-2xl font-bold">Staff</h1>
      <Alert
        tone="error"
        title="This page could not load"
        testId="staff-error"
        actions={
          <Button
            onClick={() =>
              startTransition(() => {
                router.refresh();
                reset();
              })
            }
          >
            Try again
          </Button>
        }
      >
        Something went wrong on our side. Nothing was changed; try again in a moment.
      </Alert>
    </main>
  );
}

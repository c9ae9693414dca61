import type { ReactNode, Ref } from "react";
import { STEPS, type StepId } from "./flow-step";
import { StepHeading } from "./step-heading";

/** One step's card: a heading the page moves focus to when the step becomes current, then its content. */
export function StepPanel({ step, title, headingRef, children }: { step: StepId; title: string; headingRef: Ref<HTMLHeadingElement>; children: ReactNode }) {
  const index = STEPS.findIndex((s) => s.id === step);
  return (
    <section
      aria-labelledby={`step-${step}-heading`}
      data-step={step}
      className="flex flex-col gap-4 rounded-xl border border-slate-200 bg-white p-5 shadow-sm sm:p-6"
    >
      <StepHeading id={`step-${step}-heading`} kicker={`Step ${index + 1} of ${STEPS.length}`} headingRef={headingRef}>
        {title}
      </StepHeading>
      {children}
    </section>
  );
}

import type { ReactNode } from "react";

/** A horizontally scrollable box for a wide table. Keyboard users can focus it and scroll with
 * the arrow keys (tabIndex 0, a named region: axe's scrollable-region-focusable), and shadows at
 * its edges plus a hint on narrow screens show that more columns are hidden (`.tr-scroll`). */
export function ScrollRegion({ label, children, testId }: { label: string; children: ReactNode; testId?: string }) {
  return (
    <>
      <p className="tr-muted tr:px-5 tr:pt-2 tr:text-xs tr:@3xl:hidden" aria-hidden>
        Scroll sideways for more columns →
      </p>
      <div className="tr-scroll" tabIndex={0} role="region" aria-label={label} data-testid={testId}>
        {children}
      </div>
    </>
  );
}

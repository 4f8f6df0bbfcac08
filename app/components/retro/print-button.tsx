"use client";
/** Opens the browser's print dialog; the print stylesheet lays the page out for A4. */
export function PrintButton() {
  return (
    <button type="button" className="no-print" onClick={() => window.print()}>
      Print
    </button>
  );
}

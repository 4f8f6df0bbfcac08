"use client";
/**
 * The email in a frame as tall as the email: no part cut off, no scroll bar inside the page.
 * The frame runs no script (no allow-scripts), so letting this page read its height
 * (allow-same-origin) lets nothing in the email act as the page.
 */
import { useEffect, useRef } from "react";

export function EmailFrame({ title, html }: { title: string; html: string }) {
  const frame = useRef<HTMLIFrameElement>(null);
  useEffect(() => {
    const element = frame.current;
    if (!element) return;
    const fit = () => {
      const document = element.contentDocument?.documentElement;
      if (document) element.style.height = `${document.scrollHeight}px`;
    };
    // Once loaded (its chart images too), and again whenever the page's width changes the email's height.
    element.addEventListener("load", fit);
    if (element.contentDocument?.readyState === "complete") fit();
    const observer = new ResizeObserver(fit);
    observer.observe(element);
    return () => {
      element.removeEventListener("load", fit);
      observer.disconnect();
    };
  }, [html]);
  return (
    <iframe
      ref={frame}
      title={title}
      srcDoc={html}
      sandbox="allow-same-origin allow-popups allow-top-navigation-by-user-activation"
      scrolling="no"
      style={{ display: "block", width: "100%", height: "1500px", border: "1px solid #e5e7eb", borderRadius: 8, overflow: "hidden" }}
    />
  );
}

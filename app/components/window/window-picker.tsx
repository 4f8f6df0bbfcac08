/**
 * The window picker: preset links and a custom-range GET form, both plain HTML so they work
 * without JavaScript and by keyboard. Pages read the choice with lib/time/window-choice.ts.
 */
import { formatRange } from "@/lib/format/dates";
import { windowPresets, type WindowChoice } from "@/lib/time/window-choice";

const presetLinks = (Object.keys(windowPresets) as (keyof typeof windowPresets)[]).filter((preset) => preset !== "custom");

/** `keep`: other query parameters of the page that a new window must not lose (e.g. the KPI page's dimension). */
export function WindowPicker({ choice, path, zoneNote, keep = {} }: { choice: WindowChoice; path: string; zoneNote: string; keep?: Record<string, string> }) {
  const { window } = choice;
  const kept = Object.entries(keep);
  const keptQuery = kept.map(([name, value]) => `&${encodeURIComponent(name)}=${encodeURIComponent(value)}`).join("");
  return (
    <section className="window-picker" aria-label="Report window">
      <p className="window-now">
        <strong>{windowPresets[choice.preset]}</strong>: {formatRange(window.from, window.to)} ({window.days} {window.days === 1 ? "day" : "days"}) ·{" "}
        {zoneNote}
      </p>
      <nav aria-label="Window presets">
        <ul className="presets">
          {presetLinks.map((preset) => (
            <li key={preset}>
              <a href={`${path}?preset=${preset}${keptQuery}`} aria-current={choice.preset === preset ? "true" : undefined}>
                {windowPresets[preset]}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <form method="get" action={path} className="custom-range">
        <input type="hidden" name="preset" value="custom" />
        {kept.map(([name, value]) => (
          <input type="hidden" name={name} value={value} key={name} />
        ))}
        <label>
          From <input type="date" name="from" defaultValue={window.from} required />
        </label>
        <label>
          To <input type="date" name="to" defaultValue={window.to} required />
        </label>
        <button type="submit">Show range</button>
      </form>
      {choice.error && (
        <p className="notice" role="alert">
          {choice.error}
        </p>
      )}
    </section>
  );
}

/** The overview's group filter: plain links (`?group=`), so it works without JavaScript, keeping the window. */
import type { GroupChoice } from "@/lib/report/portfolio";
import { windowQueryString, type WindowChoice } from "@/lib/time/window-choice";

/** The overview's address for a window and a group (null: every project). */
export function overviewHref(choice: WindowChoice, group: string | null): string {
  const window = windowQueryString(choice);
  if (group === null) return `/${window}`;
  return `/${window}${window ? "&" : "?"}group=${encodeURIComponent(group)}`;
}

export function GroupFilter({ choice, groups }: { choice: WindowChoice; groups: GroupChoice }) {
  if (groups.groups.length === 0) return null;
  const options: (string | null)[] = [null, ...groups.groups];
  return (
    <nav aria-label="Project groups" className="group-filter">
      <span className="meta">Group:</span>{" "}
      <ul className="presets">
        {options.map((group) => (
          <li key={group ?? ""}>
            <a href={overviewHref(choice, group)} aria-current={groups.group === group ? "true" : undefined}>
              {group ?? "All groups"}
            </a>
          </li>
        ))}
      </ul>
      {groups.error && (
        <p className="notice" role="alert">
          {groups.error}
        </p>
      )}
    </nav>
  );
}

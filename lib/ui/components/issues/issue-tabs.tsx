import { PageLink } from "../../paths";
import { ISSUE_TABS, type IssueTab } from "../../../issues/queries";

const LABELS: Record<IssueTab, string> = { open: "Open", snoozed: "Snoozed", ignored: "Ignored", resolved: "Resolved", regressions: "Regressions" };

/** The list's tabs as links (they keep the chosen target); the current one is marked for screen
 * readers with aria-current. */
export function IssueTabs({ current, target }: { current: IssueTab; target: string | undefined }) {
  const query = (tab: IssueTab) => {
    const params = new URLSearchParams();
    if (target) params.set("target", target);
    if (tab !== "open") params.set("state", tab);
    const text = params.toString();
    return text ? `?${text}` : "";
  };
  return (
    <nav aria-label="Issue states" className="tr:flex tr:flex-wrap tr:gap-1 tr:border-b tr:border-slate-200 tr:dark:border-slate-800">
      {ISSUE_TABS.map((tab) => (
        <PageLink
          key={tab}
          to={`/issues${query(tab)}`}
          aria-current={tab === current ? "page" : undefined}
          className={`tr:-mb-px tr:border-b-2 tr:px-3 tr:py-1.5 tr:text-sm tr:font-medium ${
            tab === current ? "tr:border-indigo-600 tr:text-indigo-700 tr:dark:border-indigo-400 tr:dark:text-indigo-200" : "tr:border-transparent tr:text-slate-600 tr:hover:text-slate-900 tr:dark:text-slate-400 tr:dark:hover:text-white"
          }`}
        >
          {LABELS[tab]}
        </PageLink>
      ))}
    </nav>
  );
}

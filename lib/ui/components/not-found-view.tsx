import { PageLink } from "../paths";

/** What an unknown path or run shows: inside the add-on's layout, with its navigation, so the
 * admin can go on from there (a bare 404 page has no way back). */
export function NotFoundView({ what }: { what: "run" | "page" }) {
  return (
    <section className="tr-card tr:space-y-3 tr:p-6" data-testid="not-found">
      <h1 className="tr:text-lg tr:font-semibold">{what === "run" ? "No such run" : "No such page"}</h1>
      <p className="tr-muted tr:text-sm">
        {what === "run" ? "This run does not exist, or its record was removed. The runs page lists every run that is kept." : "The troubleshooting section has no page at this address."}
      </p>
      <p className="tr:flex tr:flex-wrap tr:gap-2">
        <PageLink className="tr-btn" to="/runs">
          All runs
        </PageLink>
        <PageLink className="tr-btn" to="">
          Overview
        </PageLink>
      </p>
    </section>
  );
}

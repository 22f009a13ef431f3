"use client";
// Where the add-on is mounted in its host (basePath for pages, apiBasePath for the API), for client
// components: set once by the page, never written as literals.
import Link from "next/link";
import { type ComponentProps, type ReactNode, createContext, useContext } from "react";

export interface MountPaths {
  /** The add-on's page, e.g. "/admin/troubleshooting". */
  basePath: string;
  /** The add-on's API, e.g. "/api/admin/bots". */
  apiBasePath: string;
}

// No default: a path written into the browser bundle would be one the host may not serve (and the
// web bot, reading page scripts, would go looking for it).
const PathsContext = createContext<MountPaths | null>(null);

export function PathsProvider({ paths, children }: { paths: MountPaths; children: ReactNode }) {
  return <PathsContext.Provider value={paths}>{children}</PathsContext.Provider>;
}

export function usePaths(): MountPaths {
  const paths = useContext(PathsContext);
  if (!paths) throw new Error("the add-on's components render inside its page (PathsProvider)");
  return paths;
}

/** A link to one of the add-on's pages: `to` is relative to basePath ("/runs/abc", "" for the overview). */
export function PageLink({ to, ...props }: Omit<ComponentProps<typeof Link>, "href"> & { to: string }) {
  const { basePath } = usePaths();
  return <Link href={`${basePath}${to}`} {...props} />;
}

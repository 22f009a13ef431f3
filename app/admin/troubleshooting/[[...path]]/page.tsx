// The add-on's pages, as any host mounts them: inside this app's admin layout (./layout.tsx).
import { troubleshooter } from "@/lib/standalone/troubleshooter";

export const dynamic = "force-dynamic";
export const generateMetadata = troubleshooter.generateMetadata;
export default troubleshooter.Page;

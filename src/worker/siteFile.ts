// The URL of a file of the site (public/, e.g. the MNIST data) from inside a worker.
//
// The build uses relative URLs (vite base './') so the site works from any sub-path. A worker
// has no page URL to resolve './' against, but its own script sits in the site's assets/
// folder, one level below the site: so '../file' from the script. The dev server serves the
// site at '/', where BASE_URL is absolute.

export function siteFile(path: string): URL {
  const base = import.meta.env.BASE_URL;
  if (base.startsWith('/')) return new URL(`${base}${path}`, self.location.origin);
  // Not `new URL(template, import.meta.url)` written out: Vite rewrites that form into a lookup
  // of files it bundled, and public/ files are not among them.
  const script = import.meta.url;
  return new URL(`../${path}`, script);
}

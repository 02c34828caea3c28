// What a route makes the browser download, read from the build's own records: Vite's client
// manifest (each chunk's static and dynamic imports) and SvelteKit's route table (each page's
// layout and leaf nodes). Pure: sizes come in through a function, nothing is read here.

/** One entry of Vite's `.vite/manifest.json` (only the fields used here). */
export interface ManifestChunk {
  readonly file: string;
  readonly name?: string;
  readonly src?: string;
  readonly isEntry?: boolean;
  readonly isDynamicEntry?: boolean;
  readonly imports?: readonly string[];
  readonly dynamicImports?: readonly string[];
}
export type Manifest = Readonly<Record<string, ManifestChunk>>;

/** A route as SvelteKit's server manifest lists it (`_.routes[i]`). */
export interface KitRoute {
  readonly id: string;
  readonly page: {
    readonly layouts: readonly (number | undefined)[];
    readonly leaf: number;
  } | null;
}

/** Where SvelteKit's generated client modules sit in the manifest's keys. */
export const KIT_GENERATED = '.svelte-kit/generated/';
export const KIT_APP = `${KIT_GENERATED}client-optimized/app.js`;
export const kitNode = (n: number): string => `${KIT_GENERATED}client-optimized/nodes/${n}.js`;

/** SvelteKit's client entry (`start`): the manifest's entry that is not the generated app. */
export function kitEntries(manifest: Manifest): readonly string[] {
  if (manifest[KIT_APP] === undefined) throw new Error(`no ${KIT_APP} in the manifest`);
  const start = Object.keys(manifest).filter(
    (k) => manifest[k]?.isEntry === true && !k.startsWith(KIT_GENERATED),
  );
  if (start.length !== 1) {
    throw new Error(`expected one client entry besides app.js, found ${start.length}`);
  }
  return [start[0]!, KIT_APP];
}

/** The manifest keys of a page's nodes: its layouts (root first), then its leaf. */
export function routeNodes(routes: readonly KitRoute[], id: string): readonly string[] {
  const route = routes.find((r) => r.id === id);
  if (!route?.page) throw new Error(`no page route ${id} in the server manifest`);
  const nodes = [...route.page.layouts.filter((n) => n !== undefined), route.page.leaf];
  return nodes.map(kitNode);
}

/**
 * Every chunk reachable from `roots` (the roots included), in discovery order. Static imports
 * are always followed; dynamic imports only with `dynamic`, and never into another route's
 * node or SvelteKit's generated modules (app.js imports every page lazily).
 */
export function closure(
  manifest: Manifest,
  roots: readonly string[],
  dynamic = false,
): readonly string[] {
  const seen = new Set<string>();
  const pending = [...roots];
  while (pending.length > 0) {
    const key = pending.shift()!;
    if (seen.has(key)) continue;
    const chunk = manifest[key];
    if (chunk === undefined) throw new Error(`${key} is not in the manifest`);
    seen.add(key);
    pending.push(...(chunk.imports ?? []));
    if (dynamic) {
      pending.push(...(chunk.dynamicImports ?? []).filter((k) => !k.startsWith(KIT_GENERATED)));
    }
  }
  return [...seen];
}

export interface Part {
  readonly key: string;
  readonly file: string;
  readonly bytes: number;
}

export interface Weighed {
  readonly bytes: number;
  /** Largest first. */
  readonly parts: readonly Part[];
}

/** The chunks' sizes (each counted once), `size` being e.g. gzip -9 bytes of a file. */
export function weigh(
  manifest: Manifest,
  keys: readonly string[],
  size: (file: string) => number,
): Weighed {
  const parts = [...new Set(keys)]
    .map((key) => {
      const file = manifest[key]!.file;
      return { key, file, bytes: size(file) };
    })
    .sort((a, b) => b.bytes - a.bytes);
  return { bytes: parts.reduce((s, p) => s + p.bytes, 0), parts };
}

/**
 * A readable name for a chunk: the module for an entry (SvelteKit's generated ones shortened,
 * packages from their name on), else Vite's name for a shared chunk with its file, since
 * several can share a name.
 */
export function partName(manifest: Manifest, key: string): string {
  const chunk = manifest[key]!;
  if (key.startsWith(KIT_GENERATED)) return key.slice(KIT_GENERATED.length);
  if (!key.startsWith('_')) return key.replace(/^.*node_modules\//, '');
  return `${chunk.name ?? 'chunk'} (${chunk.file.replace(/^.*\//, '')})`;
}

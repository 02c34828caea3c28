import { describe, expect, it } from 'vitest';
import {
  KIT_APP,
  closure,
  kitEntries,
  kitNode,
  partName,
  routeNodes,
  weigh,
  type KitRoute,
  type Manifest,
} from './bundles.ts';

const START =
  '../../node_modules/.pnpm/@sveltejs+kit/node_modules/@sveltejs/kit/src/runtime/client/entry.js';
const LIVEKIT =
  '../../node_modules/.pnpm/livekit-client/node_modules/livekit-client/dist/index.mjs';

/** A small build: two pages sharing the runtime, the room loading its media code lazily. */
const MANIFEST: Manifest = {
  [START]: { file: 'entry/start.js', isEntry: true, imports: ['_runtime.js'] },
  [KIT_APP]: {
    file: 'entry/app.js',
    isEntry: true,
    imports: ['_runtime.js', '_helper.js'],
    dynamicImports: [kitNode(0), kitNode(1), kitNode(2), kitNode(3)],
  },
  [kitNode(0)]: { file: 'nodes/0.js', isEntry: true, imports: ['_runtime.js'] },
  [kitNode(1)]: { file: 'nodes/1.js', isEntry: true, imports: ['_runtime.js'] },
  [kitNode(2)]: { file: 'nodes/2.js', isEntry: true, imports: ['_runtime.js', '_labels.js'] },
  [kitNode(3)]: {
    file: 'nodes/3.js',
    isEntry: true,
    imports: ['_runtime.js', '_labels.js', '_helper.js'],
    dynamicImports: ['src/lib/room/InRoom.svelte', '.svelte-kit/generated/shared/error.js'],
  },
  'src/lib/room/InRoom.svelte': {
    file: 'chunks/in-room.js',
    isDynamicEntry: true,
    imports: ['_runtime.js', '_labels.js'],
    dynamicImports: ['src/lib/room/adapter.ts'],
  },
  'src/lib/room/adapter.ts': {
    file: 'chunks/adapter.js',
    isDynamicEntry: true,
    imports: ['_helper.js'],
    dynamicImports: [LIVEKIT],
  },
  [LIVEKIT]: { file: 'chunks/livekit.js', isDynamicEntry: true },
  '.svelte-kit/generated/shared/error.js': { file: 'chunks/error.js', isDynamicEntry: true },
  '_runtime.js': { file: 'chunks/runtime.js', name: 'index-client' },
  '_labels.js': { file: 'chunks/labels.js', name: 'labels', imports: ['_runtime.js'] },
  '_helper.js': { file: 'chunks/helper.js', name: 'preload-helper' },
};

const ROUTES: KitRoute[] = [
  { id: '/', page: { layouts: [0], leaf: 2 } },
  { id: '/m/[meetingId]', page: { layouts: [0, undefined, 1], leaf: 3 } },
  { id: '/api/x', page: null },
];

const SIZES: Record<string, number> = {
  'entry/start.js': 1,
  'entry/app.js': 2,
  'nodes/0.js': 4,
  'nodes/1.js': 8,
  'nodes/2.js': 16,
  'nodes/3.js': 32,
  'chunks/in-room.js': 64,
  'chunks/adapter.js': 128,
  'chunks/livekit.js': 256,
  'chunks/error.js': 512,
  'chunks/runtime.js': 1024,
  'chunks/labels.js': 2048,
  'chunks/helper.js': 4096,
};
const size = (file: string): number => SIZES[file] ?? Number.NaN;
const files = (keys: readonly string[]) => keys.map((k) => MANIFEST[k]!.file).sort();

describe('kitEntries', () => {
  it("is SvelteKit's client entry, then the generated app", () => {
    expect(kitEntries(MANIFEST)).toEqual([START, KIT_APP]);
  });

  it('refuses a build without app.js or with two other entries', () => {
    const { [KIT_APP]: _app, ...noApp } = MANIFEST;
    expect(() => kitEntries(noApp)).toThrow(/app\.js/);
    const twoStarts = { ...MANIFEST, 'other.js': { file: 'o.js', isEntry: true } };
    expect(() => kitEntries(twoStarts)).toThrow(/found 2/);
  });
});

describe('routeNodes', () => {
  it('lists the layouts that exist, root first, then the leaf', () => {
    expect(routeNodes(ROUTES, '/m/[meetingId]')).toEqual([kitNode(0), kitNode(1), kitNode(3)]);
  });

  it.each(['/nowhere', '/api/x'])('fails for %s, which is not a page', (id) => {
    expect(() => routeNodes(ROUTES, id)).toThrow(id);
  });
});

describe('closure', () => {
  const entries = kitEntries(MANIFEST);

  it('follows static imports only, each chunk once', () => {
    expect(files(closure(MANIFEST, [...entries, ...routeNodes(ROUTES, '/m/[meetingId]')]))).toEqual(
      [
        'chunks/helper.js',
        'chunks/labels.js',
        'chunks/runtime.js',
        'entry/app.js',
        'entry/start.js',
        'nodes/0.js',
        'nodes/1.js',
        'nodes/3.js',
      ],
    );
  });

  it("with dynamic, takes the page's lazy code but not other pages or Kit's own modules", () => {
    expect(files(closure(MANIFEST, routeNodes(ROUTES, '/m/[meetingId]'), true))).toEqual([
      'chunks/adapter.js',
      'chunks/helper.js',
      'chunks/in-room.js',
      'chunks/labels.js',
      'chunks/livekit.js',
      'chunks/runtime.js',
      'nodes/0.js',
      'nodes/1.js',
      'nodes/3.js',
    ]);
  });

  it('fails on a key the manifest does not have', () => {
    expect(() => closure(MANIFEST, ['_missing.js'])).toThrow('_missing.js');
  });
});

describe('weigh', () => {
  it('sums each chunk once and lists the largest first', () => {
    const w = weigh(MANIFEST, ['_runtime.js', kitNode(2), '_runtime.js', '_labels.js'], size);
    expect(w.bytes).toBe(1024 + 16 + 2048);
    expect(w.parts.map((p) => p.bytes)).toEqual([2048, 1024, 16]);
  });
});

describe('partName', () => {
  it.each([
    [kitNode(3), 'client-optimized/nodes/3.js'],
    [LIVEKIT, 'livekit-client/dist/index.mjs'],
    ['src/lib/room/adapter.ts', 'src/lib/room/adapter.ts'],
    ['_labels.js', 'labels (labels.js)'],
  ])('%s is shown as %s', (key, name) => {
    expect(partName(MANIFEST, key)).toBe(name);
  });
});

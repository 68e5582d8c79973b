// Writes pkg/package.json, as wasm-pack would: the crate's name, version,
// description and licence, the ES module with its types, and the files an
// `npm pack` or `npm install ./pkg` takes.
import { readFileSync, writeFileSync } from 'node:fs';

const dir = process.argv[2] ?? 'pkg';
const cargo = readFileSync(new URL('../Cargo.toml', import.meta.url), 'utf8');
const field = (name) => cargo.match(new RegExp(`^${name} = "(.*)"`, 'm'))?.[1];
const manifest = {
  name: field('name'),
  version: field('version'),
  description: 'The Marginscope margin engine: exact cross and isolated margin, liquidation prices and what-ifs, in WebAssembly',
  license: field('license'),
  type: 'module',
  main: './marginscope.js',
  types: './marginscope.d.ts',
  exports: {
    '.': { types: './marginscope.d.ts', default: './marginscope.js' },
    './marginscope_bg.wasm': './marginscope_bg.wasm',
  },
  files: ['marginscope.js', 'marginscope.d.ts', 'marginscope_bg.wasm', 'marginscope_bg.wasm.d.ts', 'snippets/'],
  sideEffects: ['./snippets/*'],
};
writeFileSync(`${dir}/package.json`, `${JSON.stringify(manifest, null, 2)}\n`);

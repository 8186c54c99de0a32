// The bulletproof-react rule, checked: features never import each other, and the shared layers
// (api, components, lib, utils, types) never import features or the app. src/api holds the calls more than
// one feature makes (one file per endpoint, built on lib/api-client and types only); a feature's own
// api/ never repeats a file name found in src/api or in another feature's api/.
// Every source file's text, keyed by its path relative to src/ (Vite reads them; no Node APIs needed).
const SOURCES = import.meta.glob<string>('../**/*.{ts,tsx}', { query: '?raw', import: 'default', eager: true });
const sources = Object.fromEntries(Object.entries(SOURCES).map(([k, v]) => [k.replace(/^\.\.\//, ''), v]));

function normalise(parts: string[]): string {
  const out: string[] = [];
  for (const p of parts) {
    if (p === '..') out.pop();
    else if (p !== '.' && p !== '') out.push(p);
  }
  return out.join('/');
}

function files(dir: string): string[] {
  return Object.keys(sources).filter((f) => dir === '' || f.startsWith(`${dir}/`));
}

function imports(file: string): string[] {
  return [...sources[file].matchAll(/(?:import|export)[^'"]*?from\s+['"]([^'"]+)['"]/g)].map((m) => {
    const spec = m[1];
    if (spec.startsWith('@/')) return spec.slice(2);
    if (spec.startsWith('.')) return normalise([...file.split('/').slice(0, -1), ...spec.split('/')]);
    return spec;
  });
}

const layerOf = (p: string) => p.split('/');

describe('architecture', () => {
  it('keeps every feature to itself', () => {
    const offences: string[] = [];
    for (const file of files('features')) {
      const [, feature] = layerOf(file);
      for (const target of imports(file)) {
        const [top, other] = layerOf(target);
        if (top === 'features' && other !== feature) offences.push(`${file} → ${target}`);
        if (top === 'app') offences.push(`${file} → ${target}`);
      }
    }
    expect(offences).toEqual([]);
  });

  it('keeps the shared layers free of features and the app', () => {
    const offences: string[] = [];
    for (const layer of ['api', 'components', 'lib', 'utils', 'types']) {
      for (const file of files(layer)) {
        for (const target of imports(file)) {
          const [top] = layerOf(target);
          if (top === 'features' || top === 'app') offences.push(`${file} → ${target}`);
        }
      }
    }
    expect(offences).toEqual([]);
  });

  it('builds the shared calls in src/api on lib and types only', () => {
    const offences: string[] = [];
    for (const file of files('api')) {
      for (const target of imports(file)) {
        const [top] = layerOf(target);
        if (top !== 'lib' && top !== 'types') offences.push(`${file} → ${target}`);
      }
    }
    expect(offences).toEqual([]);
  });

  it('keeps the lower shared layers (lib, utils, types) free of src/api and components', () => {
    const offences: string[] = [];
    for (const layer of ['lib', 'utils', 'types']) {
      for (const file of files(layer)) {
        for (const target of imports(file)) {
          const [top] = layerOf(target);
          if (top === 'api' || top === 'components') offences.push(`${file} → ${target}`);
        }
      }
    }
    expect(offences).toEqual([]);
  });

  it('keeps one file per endpoint: a call two features make lives once, in src/api', () => {
    const owners = new Map<string, string[]>();
    for (const file of files('')) {
      const parts = layerOf(file);
      const isShared = parts[0] === 'api' && parts.length === 2;
      const isFeatureCall = parts[0] === 'features' && parts[2] === 'api' && parts.length === 4;
      if (!isShared && !isFeatureCall) continue;
      const name = parts[parts.length - 1];
      owners.set(name, [...(owners.get(name) ?? []), file]);
    }
    const duplicated = [...owners.values()].filter((paths) => paths.length > 1);
    expect(duplicated).toEqual([]);
  });

  it('names files in kebab-case', () => {
    const bad = files('')
      .map((f) => f.split('/').pop() ?? f)
      .filter((name) => !/^[a-z0-9]+(-[a-z0-9]+)*(\.test)?\.tsx?$/.test(name));
    expect(bad).toEqual([]);
  });
});

// Precompresses the built files (brotli and gzip, best level) next to themselves; the gateway serves
// file.br or file.gz when the browser accepts them, like nginx's gzip_static. Smaller files are skipped.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

const dist = new URL('../dist/', import.meta.url).pathname;
const files = (dir) =>
  fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? files(p) : [p];
  });
let before = 0;
let after = 0;
for (const file of files(dist)) {
  if (!/\.(js|css|html|svg|json|m3u8)$/.test(file)) continue;
  const data = fs.readFileSync(file);
  if (data.length < 1024) continue;
  const br = zlib.brotliCompressSync(data, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: data.length } });
  fs.writeFileSync(`${file}.br`, br);
  fs.writeFileSync(`${file}.gz`, zlib.gzipSync(data, { level: 9 }));
  before += data.length;
  after += br.length;
}
console.log(`compressed: ${(before / 1024).toFixed(0)} KB → ${(after / 1024).toFixed(0)} KB brotli (.br and .gz beside each file)`);

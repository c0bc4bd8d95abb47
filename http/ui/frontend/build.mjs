// Bundles src/app.js and src/charts.js into dist/, minified, and writes
// each bundle precompressed (.gz, .br) beside it: the server embeds dist/
// and answers the compressed bytes to browsers that accept them.
import { build } from "esbuild";
import { readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { brotliCompressSync, gzipSync, constants } from "node:zlib";

mkdirSync("dist", { recursive: true });
for (const name of ["app.js", "charts.js"]) {
  await build({
    entryPoints: [`src/${name}`],
    outfile: `dist/${name}`,
    bundle: true,
    minify: true,
    format: "iife",
    target: ["es2020"],
    legalComments: "eof",
    logLevel: "warning",
  });
  const raw = readFileSync(`dist/${name}`);
  const gz = gzipSync(raw, { level: 9 });
  const br = brotliCompressSync(raw, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } });
  writeFileSync(`dist/${name}.gz`, gz);
  writeFileSync(`dist/${name}.br`, br);
  console.log(`${name}: ${raw.length} bytes, gzip ${gz.length}, brotli ${br.length}`);
}

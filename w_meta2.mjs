import { build } from "esbuild";
import { gzipSync } from "node:zlib";
const [code] = process.argv.slice(2);
const r = await build({stdin:{contents:code, resolveDir: process.cwd(), loader:"js"}, bundle:true, minify:true, format:"esm", platform:"browser", target:"es2022", write:false});
const c = r.outputFiles[0].contents; console.log(c.length, gzipSync(c,{level:9}).length);

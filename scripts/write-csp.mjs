// Trunk post_build step: gives the built index.html a Content-Security-Policy
// that allows exactly the scripts the build made. Trunk writes the app's
// start-up as an inline module script (and `trunk serve` its reload script);
// each inline script is allowed by its SHA-256, nothing else inline is.
import { createHash } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const dir = process.env.TRUNK_STAGING_DIR;
if (!dir) throw new Error("run by trunk as a post_build hook (TRUNK_STAGING_DIR unset)");
const file = join(dir, "index.html");
let html = readFileSync(file, "utf8");

const hashes = [...html.matchAll(/<script\b(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/g)].map(
  ([, body]) => `'sha256-${createHash("sha256").update(body, "utf8").digest("base64")}'`,
);

// No remote origin anywhere; wasm needs 'wasm-unsafe-eval' to compile, and
// the service worker and the wasm fetch are same-origin.
const policy = [
  "default-src 'none'",
  `script-src 'self' 'wasm-unsafe-eval' ${hashes.join(" ")}`.trim(),
  "style-src 'self'",
  "img-src 'self'",
  "connect-src 'self'",
  "worker-src 'self'",
  "manifest-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "object-src 'none'",
].join("; ");

const meta = `<meta http-equiv="Content-Security-Policy" content="${policy}" />`;
if (!html.includes("<!-- csp -->")) throw new Error("index.html lacks its <!-- csp --> marker");
html = html.replace("<!-- csp -->", meta);
writeFileSync(file, html);
console.log(`csp: ${hashes.length} inline script(s) hashed`);

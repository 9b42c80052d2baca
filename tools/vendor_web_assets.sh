#!/usr/bin/env bash
# Re-vendor the web page's third-party assets from their npm registry packages (run by hand when
# upgrading; nothing downloads at run time). Writes src/synoptic/server/static/vendor/ and prints
# the sha256 of each tarball for VENDOR.md. Needs npm (for `npm pack`) and tar.
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=src/synoptic/server/static/vendor
VEGA=vega@6.4.0 VEGA_LITE=vega-lite@6.4.3 VEGA_EMBED=vega-embed@7.3.0
INTERPRETER=vega-interpreter@2.3.2 SWAGGER=swagger-ui-dist@5.35.0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for spec in $VEGA $VEGA_LITE $VEGA_EMBED $INTERPRETER $SWAGGER; do
  (cd "$tmp" && npm pack --silent "$spec" >/dev/null)
done
sha256sum "$tmp"/*.tgz | sed "s|$tmp/||"
for spec in $VEGA $VEGA_LITE $VEGA_EMBED $INTERPRETER $SWAGGER; do
  name=${spec%@*}
  mkdir -p "$tmp/$name" && tar xzf "$tmp/$name-${spec#*@}.tgz" -C "$tmp/$name"
done
rm -rf "$OUT/vega" "$OUT/swagger-ui"
mkdir -p "$OUT/vega" "$OUT/swagger-ui"
cp "$tmp/vega/package/build/vega.min.js" "$OUT/vega/vega.min.js"
cp "$tmp/vega/package/LICENSE" "$OUT/vega/LICENSE-vega"
cp "$tmp/vega-lite/package/build/vega-lite.min.js" "$OUT/vega/vega-lite.min.js"
cp "$tmp/vega-lite/package/LICENSE" "$OUT/vega/LICENSE-vega-lite"
cp "$tmp/vega-embed/package/build/vega-embed.min.js" "$OUT/vega/vega-embed.min.js"
cp "$tmp/vega-embed/package/LICENSE" "$OUT/vega/LICENSE-vega-embed"
cp "$tmp/vega-interpreter/package/LICENSE" "$OUT/vega/LICENSE-vega-interpreter"
# vega-interpreter ships only as an ES module importing 'vega-util'. The page's strict CSP has no
# 'unsafe-eval', so Vega must interpret expressions instead of compiling them with Function();
# the module is turned into a classic script that takes vega-util's three helpers from the
# vega bundle (which exports them) and exposes the interpreter as window.vegaInterpreter.
{
  echo "// vega-interpreter $INTERPRETER (BSD-3-Clause), as a classic script: see tools/vendor_web_assets.sh"
  echo "(function () {"
  echo "const { ascending, isString, DisallowedObjectProperties } = globalThis.vega;"
  grep -v "^import " "$tmp/vega-interpreter/package/build/vega-interpreter.js" \
    | sed 's/^export { expression as expressionInterpreter };$/globalThis.vegaInterpreter = { expressionInterpreter: expression };/'
  echo "})();"
} >"$OUT/vega/vega-interpreter.js"
grep -q "globalThis.vegaInterpreter" "$OUT/vega/vega-interpreter.js"
for f in swagger-ui-bundle.js swagger-ui.css LICENSE NOTICE; do
  cp "$tmp/swagger-ui-dist/package/$f" "$OUT/swagger-ui/$f"
done
# the bundle's last line points at a source map that is not vendored: drop it (no 404 in the console)
sed -i '/^\/\/# sourceMappingURL=/d' "$OUT/swagger-ui/swagger-ui-bundle.js" "$OUT/vega/"*.js
sed -i 's|/\*# sourceMappingURL=[^*]*\*/||' "$OUT/swagger-ui/swagger-ui.css"

#!/usr/bin/env bash
# Writes the boilerplate of a publishable library (package.json, project.json, tsconfig, tsup, jest) where a
# file is missing. Usage: tools/scripts/new-lib-files.sh <dir> <name> "<tags,comma,separated>" [testing]
set -euo pipefail
dir=$1 name=$2 tags=$3 testing=${4:-}
depth=$(echo "$dir" | awk -F/ '{print NF}')
up=$(printf '../%.0s' $(seq 1 "$depth"))
mkdir -p "$dir/src"
tag_json=$(echo "$tags" | awk -F, '{for(i=1;i<=NF;i++){printf "%s\"%s\"", (i>1?", ":""), $i}}')
entries="index: 'src/index.ts'"
exports='    ".": {
      "import": { "types": "./dist/index.d.mts", "default": "./dist/index.mjs" },
      "require": { "types": "./dist/index.d.ts", "default": "./dist/index.js" }
    },'
if [ "$testing" = testing ]; then
  entries="$entries, 'testing/index': 'src/testing/index.ts'"
  exports="$exports
    \"./testing\": {
      \"import\": { \"types\": \"./dist/testing/index.d.mts\", \"default\": \"./dist/testing/index.mjs\" },
      \"require\": { \"types\": \"./dist/testing/index.d.ts\", \"default\": \"./dist/testing/index.js\" }
    },"
fi
[ -f "$dir/package.json" ] || cat > "$dir/package.json" <<JSON
{
  "name": "@gamebuddies/$name",
  "version": "0.1.0",
  "license": "MIT",
  "sideEffects": false,
  "main": "./dist/index.js",
  "module": "./dist/index.mjs",
  "types": "./dist/index.d.ts",
  "exports": {
$exports
    "./package.json": "./package.json"
  },
  "files": ["dist", "README.md"],
  "engines": { "node": ">=20.19" },
  "dependencies": {}
}
JSON
[ -f "$dir/project.json" ] || cat > "$dir/project.json" <<JSON
{
  "\$schema": "${up}node_modules/nx/schemas/project-schema.json",
  "name": "$name",
  "sourceRoot": "$dir/src",
  "projectType": "library",
  "tags": [$tag_json],
  "targets": {
    "build": {},
    "lint": {},
    "test": {},
    "typecheck": {}
  }
}
JSON
[ -f "$dir/tsconfig.json" ] || cat > "$dir/tsconfig.json" <<JSON
{
  "extends": "${up}tsconfig.base.json",
  "compilerOptions": { "types": ["node", "jest"] },
  "include": ["src/**/*.ts", "tests/**/*.ts", "bench/**/*.ts", "examples/**/*.ts", "*.ts"]
}
JSON
[ -f "$dir/tsup.config.ts" ] || cat > "$dir/tsup.config.ts" <<TS
import { libraryConfig } from '${up}tools/tsup/library-config';

export default libraryConfig({ $entries });
TS
[ -f "$dir/tsconfig.lib.json" ] || cat > "$dir/tsconfig.lib.json" <<JSON
{
  "extends": "./tsconfig.json",
  "compilerOptions": { "types": ["node"] },
  "include": ["src/**/*.ts"],
  "exclude": ["src/**/*.spec.ts"]
}
JSON
[ -f "$dir/jest.config.cjs" ] || cat > "$dir/jest.config.cjs" <<JS
/** @type {import('jest').Config} */
module.exports = {
  displayName: '$name',
  preset: '${up}jest.preset.js',
  rootDir: __dirname,
};
JS
echo "wrote $dir"

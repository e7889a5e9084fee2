#!/usr/bin/env node
// The package's bin: runs the compiled CLI (built by `npm install` through the `prepare` script).
import { main } from '../dist/cli/index.js';

main(process.argv).then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    console.error(error);
    process.exitCode = 1;
  },
);

#!/usr/bin/env node
// The `deskstack` command: runs the TypeScript sources through tsx's loader, so no build step is needed.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../main/cli.ts');
await main(process.argv.slice(2));

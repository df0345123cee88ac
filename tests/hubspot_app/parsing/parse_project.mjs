// Parses the HubSpot project in argv[2] with HubSpot's own library, offline, and prints what
// it produced: {"components": {uid: {type, file, dependencies}}, "skipped": [files]}. On any
// problem it prints the library's message on stderr and exits with status 1.
//
// translate() runs every check `hs project upload` runs locally, then validates each
// component's config against JSON schemas it downloads from a HubSpot account. Offline there
// is no account: hooks.mjs answers that download with an accept-any-config schema for each
// component type the library knows (offline_schemas.mjs). Nothing else is replaced.
import { register } from 'node:module';
import path from 'node:path';

register('./hooks.mjs', import.meta.url);

const { parseProjectConfig } = await import('@hubspot/project-parsing-lib/projects');
const { translate, isTranslationError } = await import('@hubspot/project-parsing-lib/translate');

const projectDir = path.resolve(process.argv[2]);
try {
  const config = parseProjectConfig(projectDir);
  const { intermediateRepresentation, skippedHsMetaFiles } = await translate({
    projectSourceDir: path.join(projectDir, config.srcDir),
    platformVersion: config.platformVersion,
  });
  const nodes = Object.entries(intermediateRepresentation.intermediateNodesIndexedByUid);
  const components = Object.fromEntries(
    nodes.map(([uid, node]) => [
      uid,
      { type: node.componentType, file: node.metaFilePath, dependencies: node.componentDeps },
    ]),
  );
  console.log(JSON.stringify({ components, skipped: skippedHsMetaFiles }));
} catch (error) {
  console.error(isTranslationError(error) ? error.toString() : String(error));
  process.exit(1);
}

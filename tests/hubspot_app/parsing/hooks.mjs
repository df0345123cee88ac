// Module hook for parse_project.mjs: the parsing library's schema download (its
// src/lib/schemas.js, which needs a HubSpot account) is answered by offline_schemas.mjs.
const LIBRARY = '/@hubspot/project-parsing-lib/src/lib/';

export async function resolve(specifier, context, nextResolve) {
  if (specifier === './schemas.js' && context.parentURL?.includes(LIBRARY)) {
    return { url: new URL('./offline_schemas.mjs', import.meta.url).href, shortCircuit: true };
  }
  return nextResolve(specifier, context);
}
